/**
 * One vocabulary from rule to construct to test: the conventions that tie a rule's `# METADATA` to the construct
 * that sets its control and to both tests, and the check that they hold.
 *
 *  - Every `constructs/<name>.ts` has exactly one mirrored test, `test/constructs/<name>.test.ts`, and every test
 *    file there mirrors a construct.
 *  - A construct's top JSDoc names the rules it satisfies in one `Satisfies:` line (ids in natural order, `none`
 *    when no rule names the file; long lists continue on lines indented `*   `): exactly the rules whose METADATA
 *    `custom.construct` names the file. An optional `Also configures:` line names rules whose METADATA points at
 *    another construct but whose checked resources this construct also creates (directly or through a construct
 *    it imports).
 *  - Every rule's `custom.construct` names a file that exists, and every rule id a construct mentions exists.
 *
 * Pure: the caller reads the files and the `opa inspect -a --format json` output (rule files are taken from the
 * annotations, so any rule layout works).
 */

/** A rule as the vocabulary needs it (from its package METADATA). */
export interface VocabularyRule {
  readonly id: string;
  /** Repo-relative path of the rule's `.rego` file. */
  readonly file: string;
  /** `custom.construct`: repo-relative path of the file that sets the control (usually `constructs/<name>.ts`). */
  readonly construct?: string | null;
  readonly resource_types?: readonly string[];
}

export interface VocabularyInput {
  readonly rules: readonly VocabularyRule[];
  /** `constructs/<name>.ts` → its source text. */
  readonly constructs: Readonly<Record<string, string>>;
  /** Repo-relative paths of the `*.test.ts` files under `test/constructs/`. */
  readonly constructTests: readonly string[];
  /** Whether a repo-relative path exists. */
  readonly exists: (path: string) => boolean;
}

export interface ConstructHeader {
  /** Ids of the `Satisfies:` line (`[]` for `none`); undefined when the line is missing. */
  readonly satisfies?: string[];
  readonly alsoConfigures: string[];
  readonly problems: string[];
}

const RULE_ID = /^ZG-[A-Z0-9]+-\d{3}$/;
const CONSTRUCT = /^constructs\/([a-z0-9-]+)\.ts$/;

/** Natural order: ZG-KV-2 < ZG-KV-10. */
function natural(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** `constructs/<name>.ts` → `test/constructs/<name>.test.ts`; undefined for anything that is not a construct file. */
export function constructTestOf(construct: string): string | undefined {
  const m = CONSTRUCT.exec(construct.replace(/\\/g, "/").replace(/^\.\//, ""));
  return m ? `test/constructs/${m[1]}.test.ts` : undefined;
}

/** `test/constructs/<name>.test.ts` → `constructs/<name>.ts`. */
export function constructOfTest(test: string): string | undefined {
  const m = /^test\/constructs\/([a-z0-9-]+)\.test\.ts$/.exec(test);
  return m ? `constructs/${m[1]}.ts` : undefined;
}

/** The rules of an `opa inspect -a --format json` document: package-scoped annotations with a `custom.id`. */
export function rulesFromInspect(inspected: unknown): VocabularyRule[] {
  const anns = (inspected as { annotations?: unknown[] } | null)?.annotations;
  if (!Array.isArray(anns)) throw new Error("opa inspect output has no annotations[]");
  const rules: VocabularyRule[] = [];
  for (const a of anns as {
    location?: { file?: string };
    annotations?: { scope?: string; custom?: Record<string, unknown> };
  }[]) {
    const ann = a.annotations ?? {};
    const id = ann.custom?.id;
    if (ann.scope !== "package" || typeof id !== "string") continue;
    const file = (a.location?.file ?? "").replace(/\\/g, "/").replace(/^.*?(policies\/)/, "$1");
    const construct = ann.custom?.construct;
    const types = ann.custom?.resource_types;
    rules.push({
      id,
      file,
      construct: typeof construct === "string" ? construct : null,
      resource_types: Array.isArray(types) ? types.filter((t): t is string => typeof t === "string") : [],
    });
  }
  return rules.sort((x, y) => natural(x.id, y.id));
}

/** The `Satisfies:` / `Also configures:` lines of a construct's first JSDoc block. */
export function parseConstructHeader(source: string): ConstructHeader {
  const problems: string[] = [];
  const m = /^\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!m) return { alsoConfigures: [], problems: ["has no top JSDoc block"] };
  const lines = m[1].split("\n");
  const field = (name: string): string[] | undefined => {
    const at = lines.flatMap((l, i) => (l.startsWith(` * ${name}: `) ? [i] : []));
    if (at.length === 0) return undefined;
    if (at.length > 1) problems.push(`has ${at.length} "${name}:" lines`);
    let text = lines[at[0]].slice(` * ${name}: `.length);
    for (let i = at[0] + 1; i < lines.length && /^ \* {3}ZG-/.test(lines[i]); i++) text += ` ${lines[i].slice(5)}`;
    if (name === "Satisfies" && text.trim() === "none") return [];
    const ids = text.split(",").map((s) => s.trim());
    const bad = ids.filter((s) => !RULE_ID.test(s));
    if (bad.length) problems.push(`"${name}:" has ${bad.map((b) => JSON.stringify(b)).join(", ")}, not rule ids`);
    const good = ids.filter((s) => RULE_ID.test(s));
    if (good.join() !== [...new Set(good)].sort(natural).join()) {
      problems.push(`"${name}:" ids are not unique and in natural order`);
    }
    return good;
  };
  const satisfies = field("Satisfies");
  if (!satisfies) problems.push('has no "Satisfies:" line in its top JSDoc');
  return { satisfies, alsoConfigures: field("Also configures") ?? [], problems };
}

/** Resource types a construct file creates itself: its `@cdktf/provider-*` resource imports. */
function ownResourceTypes(source: string): string[] {
  const types: string[] = [];
  for (const m of source.matchAll(/from "@cdktf\/provider-([a-z]+)\/lib\/([a-z0-9-]+)"/g)) {
    if (m[2] === "provider" || m[2].startsWith("data-")) continue;
    types.push(`${m[1]}_${m[2].replace(/-/g, "_")}`);
  }
  return types;
}

/** Resource types a construct creates, through the constructs it imports too. */
function resourceTypes(file: string, constructs: Readonly<Record<string, string>>, seen = new Set<string>()): string[] {
  if (seen.has(file) || constructs[file] === undefined) return [];
  seen.add(file);
  const local = [...constructs[file].matchAll(/from "\.\/([a-z0-9-]+)"/g)].map((m) => `constructs/${m[1]}.ts`);
  return [...ownResourceTypes(constructs[file]), ...local.flatMap((f) => resourceTypes(f, constructs, seen))];
}

/** Every broken link between rules, constructs and construct tests, one message each (`[]` when consistent). */
export function checkVocabulary(input: VocabularyInput): string[] {
  const problems: string[] = [];
  const byId = new Map(input.rules.map((r) => [r.id, r]));
  const constructFiles = Object.keys(input.constructs).sort();

  for (const r of input.rules) {
    if (!r.construct) problems.push(`${r.id} (${r.file}): METADATA names no construct`);
    else if (!input.exists(r.construct)) {
      problems.push(`${r.id} (${r.file}): METADATA construct ${r.construct} does not exist`);
    }
  }

  const tests = new Set(input.constructTests);
  for (const c of constructFiles) {
    const t = constructTestOf(c);
    if (!t) problems.push(`${c}: not named constructs/<kebab-name>.ts`);
    else if (!tests.has(t)) problems.push(`${c}: no mirrored test ${t}`);
  }
  for (const t of [...tests].sort()) {
    const c = constructOfTest(t);
    if (!c || input.constructs[c] === undefined) problems.push(`${t}: mirrors no construct (${c ?? "bad name"})`);
  }

  for (const c of constructFiles) {
    const h = parseConstructHeader(input.constructs[c]);
    problems.push(...h.problems.map((p) => `${c}: ${p}`));
    const want = input.rules
      .filter((r) => r.construct === c)
      .map((r) => r.id)
      .sort(natural);
    if (h.satisfies) {
      const missing = want.filter((id) => !h.satisfies!.includes(id));
      const extra = h.satisfies.filter((id) => !want.includes(id));
      if (missing.length) problems.push(`${c}: "Satisfies:" lacks ${missing.join(", ")} (METADATA names this file)`);
      if (extra.length) {
        problems.push(`${c}: "Satisfies:" names ${extra.join(", ")}, whose METADATA does not name this file`);
      }
    }
    const types = new Set(resourceTypes(c, input.constructs));
    for (const id of h.alsoConfigures) {
      const r = byId.get(id);
      if (!r) continue; // reported below as an unknown id
      if (want.includes(id)) problems.push(`${c}: ${id} is in both "Satisfies:" and "Also configures:"`);
      else if (!(r.resource_types ?? []).some((t) => types.has(t))) {
        problems.push(`${c}: "Also configures:" ${id}, but creates none of its resource types`);
      }
    }
    const mentioned = [...new Set(input.constructs[c].match(/\bZG-[A-Z0-9]+-\d{3}\b/g) ?? [])].sort(natural);
    for (const id of mentioned) if (!byId.has(id)) problems.push(`${c}: mentions ${id}, which is no rule`);
  }
  return problems;
}
