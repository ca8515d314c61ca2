/**
 * Renders `docs/policies.md`, the rule catalogue, from `policies/dist/manifest.json` (whose `rules[]` is
 * built from each rule's `# METADATA`). Pure and deterministic: same manifest → same bytes (no dates,
 * no hashes, stable sort orders), so CI can fail when the committed file is stale.
 *
 * Every rule links its `.rego` file, the `_test.rego` beside it, the construct that sets the control and that
 * construct's mirrored test (lib/delivery/vocabulary.ts), so every control is two hops from anywhere: a PCI DSS
 * requirement row or a construct row links the rule's section, which links all four files.
 */
import { PCI_NOT_CHECKABLE, type NotCheckable } from "./pci-coverage";
import { constructTestOf } from "./vocabulary";

export type Severity = "critical" | "high" | "medium" | "low";
export type Enforcement = string | Readonly<Record<string, string>>;

export interface ManifestRule {
  readonly id: string;
  readonly title: string;
  readonly description?: string | null;
  readonly severity: Severity | string;
  readonly frameworks?: Readonly<Record<string, readonly string[] | undefined>>;
  readonly enforcement?: Enforcement;
  readonly remediation?: string | null;
  readonly construct?: string | null;
  readonly peers?: Readonly<Record<string, readonly string[] | undefined>>;
  readonly resource_types?: readonly string[];
  readonly scope?: string | null;
  readonly stricter_than_peers?: string | null;
  /** Repo-relative path of the rule's `.rego` file. */
  readonly file: string;
  /** The rule's Rego package (without `data.`). */
  readonly package?: string | null;
}

export interface PolicyManifest {
  readonly rules: readonly ManifestRule[];
  readonly [k: string]: unknown;
}

/** Link prefix from docs/ to the repository root. */
const ROOT = "../";
const SEVERITIES: readonly string[] = ["critical", "high", "medium", "low"];
const KNOWN_FRAMEWORKS: readonly string[] = ["pci-dss-4.0", "gdpr", "sox"];
const FRAMEWORK_NAMES: Readonly<Record<string, string>> = {
  "pci-dss-4.0": "PCI DSS v4.0",
  gdpr: "GDPR",
  sox: "SOX",
};
const FRAMEWORK_SHORT: Readonly<Record<string, string>> = { "pci-dss-4.0": "PCI", gdpr: "GDPR", sox: "SOX" };
const FRAMEWORK_ITEM: Readonly<Record<string, string>> = {
  "pci-dss-4.0": "Requirement",
  gdpr: "Article",
  sox: "Control",
};

/** Natural order: "3.5.1" < "3.10" < "10.2.1"; "5(1)(f)" < "25" < "32". */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function frameworkOrder(keys: Iterable<string>): string[] {
  const ks = [...new Set(keys)];
  return [
    ...KNOWN_FRAMEWORKS.filter((k) => ks.includes(k)),
    ...ks.filter((k) => !KNOWN_FRAMEWORKS.includes(k)).sort(byString),
  ];
}

/** Escapes text for a Markdown table cell (one line, no pipes). */
function cell(s: string): string {
  return s
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

function normPath(p: string): string {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

export function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

export function testFileOf(ruleFile: string): string {
  return normPath(ruleFile).replace(/\.rego$/, "_test.rego");
}

/** `[name](../path)` for a repo-relative path. */
function fileLink(path: string): string {
  const p = normPath(path);
  return `[${p.split("/").pop()}](${ROOT}${p})`;
}

/** The construct's mirrored test (`test/constructs/<name>.test.ts`), for constructs under constructs/. */
function constructTest(r: ManifestRule): string | undefined {
  return r.construct ? constructTestOf(normPath(r.construct)) : undefined;
}

/**
 * Where the rules live, described from their files: the directory all share, then `<service>` (when each rule's
 * first directory below it is its id's prefix, `ZG-KV-001` → `kv`) or `<area>`, then `<slug>/<slug>.rego` or
 * `<slug>.rego`; and the package pattern when each package mirrors its directory.
 */
export function ruleLayout(rules: readonly ManifestRule[]): string {
  const files = rules.map((r) => normPath(r.file).split("/"));
  if (files.length === 0) return "no rule files";
  let n = 0;
  while (files.every((f) => n < f.length - 1 && f[n] === files[0][n])) n++;
  const prefixOf = (r: ManifestRule) => (/^[A-Za-z]+-([A-Za-z0-9]+)-/.exec(r.id)?.[1] ?? "").toLowerCase();
  const stem = (f: string[]) => f[f.length - 1].replace(/\.rego$/, "");
  // A shared directory that is a slug or a service (few rules, one service) belongs to the pattern, not the base.
  while (n > 0 && files.every((f, i) => f[n - 1] === stem(f) || f[n - 1] === prefixOf(rules[i]))) n--;
  const base = files[0].slice(0, n).join("/");
  const rests = files.map((f) => f.slice(n));
  const area = rules.every((r, i) => rests[i].length > 1 && rests[i][0] === prefixOf(r)) ? "<service>" : "<area>";
  let shape = "…/<slug>.rego";
  if (rests.every((x) => x.length === 3 && `${x[1]}.rego` === x[2])) shape = `${area}/<slug>/<slug>.rego`;
  else if (rests.every((x) => x.length === 2)) shape = `${area}/<slug>.rego`;
  else if (rests.every((x) => x.length === 1)) shape = "<slug>.rego";
  const where = `\`${base ? `${base}/` : ""}${shape}\``;
  const mirrors = rules.every((r, i) => {
    const dir = files[i].slice(0, -1).join("/");
    return !!r.package && dir.endsWith(r.package.replace(/\./g, "/")) && dir.startsWith(base);
  });
  if (!mirrors || !rules[0].package || rests.some((x) => x.length < 2 || x.length !== rests[0].length)) return where;
  const pkgBase = rules[0].package
    .split(".")
    .slice(0, -(rests[0].length - 1))
    .join(".");
  const pkgShape = shape
    .replace(/\/<slug>\.rego$/, "")
    .replace(/\.rego$/, "")
    .replace(/\//g, ".");
  return `${where} (package \`${pkgBase}.${pkgShape}\`)`;
}

function reqs(r: ManifestRule, fw: string): string[] {
  return [...new Set(r.frameworks?.[fw] ?? [])].sort(naturalCompare);
}

function ruleFrameworks(r: ManifestRule): string[] {
  return frameworkOrder(Object.keys(r.frameworks ?? {}).filter((k) => reqs(r, k).length > 0));
}

export function formatEnforcement(e: Enforcement | undefined): string {
  if (e === undefined) return "mandatory";
  if (typeof e === "string") return e;
  const def = e.default ?? "mandatory";
  const envs = ["dev", "staging", "prod"];
  const others = Object.keys(e)
    .filter((k) => k !== "default")
    .sort((a, b) => (envs.indexOf(a) + 1 || 99) - (envs.indexOf(b) + 1 || 99) || byString(a, b))
    .filter((k) => e[k] !== def)
    .map((k) => `${k}: ${e[k]}`);
  return others.length ? `${def} (${others.join(", ")})` : def;
}

function formatPeers(p: ManifestRule["peers"]): string {
  if (!p) return "—";
  const parts = Object.keys(p)
    .sort(byString)
    .filter((k) => (p[k] ?? []).length > 0)
    .map((k) => `${k}: ${[...(p[k] ?? [])].sort(naturalCompare).join(", ")}`);
  return parts.length ? parts.join("; ") : "—";
}

function validate(m: unknown): asserts m is PolicyManifest {
  if (!m || typeof m !== "object" || !Array.isArray((m as PolicyManifest).rules)) {
    throw new Error("manifest has no rules[] array");
  }
  const seen = new Set<string>();
  (m as PolicyManifest).rules.forEach((r, i) => {
    for (const k of ["id", "title", "severity", "file"] as const) {
      if (typeof r?.[k] !== "string" || r[k] === "") throw new Error(`manifest rules[${i}] has no ${k}`);
    }
    if (seen.has(r.id)) throw new Error(`manifest has rule id ${r.id} twice`);
    seen.add(r.id);
  });
}

/**
 * The PCI DSS v4.0 coverage section: one row per requirement id some rule names (rules and the constructs that set
 * the controls), then the requirements a pre-deployment IaC gate cannot decide, each with the reason.
 */
export function pciCoverage(
  rules: readonly ManifestRule[],
  ref: (r: ManifestRule) => string,
  notCheckable: readonly NotCheckable[] = PCI_NOT_CHECKABLE,
): string[] {
  const fw = "pci-dss-4.0";
  const items = new Map<string, ManifestRule[]>();
  for (const r of rules) for (const q of reqs(r, fw)) items.set(q, [...(items.get(q) ?? []), r]);
  const ids = [...items.keys()].sort(naturalCompare);
  const rest = [...notCheckable].filter((n) => !items.has(n.id)).sort((a, b) => naturalCompare(a.id, b.id));
  const L: string[] = [
    "## PCI DSS v4.0 coverage",
    "",
    `${ids.length} requirement id${ids.length === 1 ? "" : "s"} checked by ` +
      `${rules.filter((r) => reqs(r, fw).length > 0).length} rules before deployment; ` +
      `${rest.length} requirement${rest.length === 1 ? "" : "s"} below cannot be decided from infrastructure code ` +
      "and need evidence from elsewhere.",
    "",
    "| requirement | rules | constructs |",
    "| --- | --- | --- |",
  ];
  for (const q of ids) {
    const rs = items.get(q)!;
    const constructs = [...new Set(rs.flatMap((r) => (r.construct ? [normPath(r.construct)] : [])))].sort(byString);
    const cs = constructs.length ? constructs.map((c) => `[${c.split("/").pop()}](${ROOT}${c})`).join(", ") : "—";
    L.push(`| ${cell(q)} | ${rs.map(ref).join(", ")} | ${cs} |`);
  }
  if (rest.length) {
    L.push(
      "",
      "### Not checkable from infrastructure code",
      "",
      "| requirement | scope | why not |",
      "| --- | --- | --- |",
    );
    for (const n of rest) L.push(`| ${cell(n.id)} | ${cell(n.scope)} | ${cell(n.reason)} |`);
  }
  L.push("");
  return L;
}

/** The full text of docs/policies.md for a manifest. Throws on a malformed manifest. */
export function renderPoliciesDoc(manifest: unknown): string {
  validate(manifest);
  const rules = [...manifest.rules].sort((a, b) => naturalCompare(a.id, b.id));
  const fws = frameworkOrder(rules.flatMap(ruleFrameworks));
  const sevs = [
    ...SEVERITIES,
    ...[...new Set(rules.map((r) => r.severity))].filter((s) => !SEVERITIES.includes(s)).sort(),
  ];
  const L: string[] = [];
  const ref = (r: ManifestRule) => `[${r.id}](#${anchor(r.id)})`;

  L.push(
    "# Policy rule catalogue",
    "",
    "<!-- Generated by `npm run docs` (scripts/gen-docs.ts) from policies/dist/manifest.json, i.e. from each",
    "     rule's `# METADATA`. Do not edit by hand: change the rule, run `npm run policies:build && npm run docs`.",
    "     CI (`npm run docs -- --check`) fails when this file is stale. -->",
    "",
    `${rules.length} rule${rules.length === 1 ? "" : "s"}. Each rule lives in ${ruleLayout(rules)} ` +
      "with its tests in `<slug>_test.rego` beside it; the gate evaluates the compiled bundle in `policies/dist/`. " +
      "The construct that sets a rule's control names the rule in its header (`Satisfies:`) and is tested in " +
      "`test/constructs/<construct>.test.ts`. A rule's section below links all four files.",
    "",
  );

  // Summary
  L.push(
    "## Summary",
    "",
    `| framework | ${sevs.join(" | ")} | total |`,
    `| --- | ${sevs.map(() => "---:").join(" | ")} | ---: |`,
  );
  const row = (label: string, rs: readonly ManifestRule[]) =>
    `| ${label} | ${sevs.map((s) => rs.filter((r) => r.severity === s).length).join(" | ")} | ${rs.length} |`;
  for (const fw of fws)
    L.push(
      row(
        FRAMEWORK_NAMES[fw] ?? fw,
        rules.filter((r) => reqs(r, fw).length > 0),
      ),
    );
  const unmapped = rules.filter((r) => ruleFrameworks(r).length === 0);
  if (unmapped.length) L.push(row("no framework", unmapped));
  L.push(row("**all rules**", rules), "");

  const enf = new Map<string, number>();
  for (const r of rules) {
    const e = typeof r.enforcement === "object" ? "per environment" : (r.enforcement ?? "mandatory");
    enf.set(e, (enf.get(e) ?? 0) + 1);
  }
  L.push(
    "Enforcement: " +
      [...enf.entries()]
        .sort((a, b) => byString(a[0], b[0]))
        .map(([k, n]) => `${n} ${k}`)
        .join(" · ") +
      ". Mandatory findings fail the gate (exit 1); advisory findings are reported only.",
    "",
  );

  // PCI DSS coverage: requirement → rules → constructs, and what the gate cannot check
  L.push(...pciCoverage(rules, ref));

  // Catalogue
  L.push(
    "## Catalogue",
    "",
    "| id | title | severity | frameworks | enforcement | peers | construct | tests |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of rules) {
    const file = normPath(r.file);
    const frameworks = ruleFrameworks(r)
      .map((fw) => `${FRAMEWORK_SHORT[fw] ?? fw} ${reqs(r, fw).join(", ")}`)
      .join(" · ");
    const construct = r.construct ? `[${normPath(r.construct)}](${ROOT}${normPath(r.construct)})` : "—";
    const ct = constructTest(r);
    const tests = [fileLink(testFileOf(file)), ...(ct ? [fileLink(ct)] : [])].join(" · ");
    const title = r.scope === "estate" ? `${r.title} (estate scope)` : r.title;
    L.push(
      `| [${r.id}](${ROOT}${file}) | ${cell(title)} | ${r.severity} | ${cell(frameworks || "—")} | ` +
        `${cell(formatEnforcement(r.enforcement))} | ${cell(formatPeers(r.peers))} | ${construct} | ${tests} |`,
    );
  }
  L.push("");

  // Constructs: construct → its test → the rules it satisfies
  const byConstruct = new Map<string, ManifestRule[]>();
  for (const r of rules) {
    if (r.construct) byConstruct.set(normPath(r.construct), [...(byConstruct.get(normPath(r.construct)) ?? []), r]);
  }
  if (byConstruct.size) {
    L.push(
      "## Constructs",
      "",
      "Each construct or data file a rule names as the place that sets its control, with its test and the rules.",
      "",
      "| construct | tests | rules |",
      "| --- | --- | --- |",
    );
    for (const c of [...byConstruct.keys()].sort(byString)) {
      const t = constructTestOf(c);
      L.push(`| [${c}](${ROOT}${c}) | ${t ? fileLink(t) : "—"} | ${byConstruct.get(c)!.map(ref).join(", ")} |`);
    }
    L.push("");
  }

  // Framework indexes
  for (const fw of fws) {
    const name = FRAMEWORK_NAMES[fw] ?? fw;
    const items = new Map<string, ManifestRule[]>();
    for (const r of rules) for (const q of reqs(r, fw)) items.set(q, [...(items.get(q) ?? []), r]);
    const item = FRAMEWORK_ITEM[fw] ?? "Item";
    L.push(`## ${name}: ${item.toLowerCase()} → rules`, "", `| ${item} | rules |`, "| --- | --- |");
    for (const q of [...items.keys()].sort(naturalCompare)) {
      L.push(`| ${cell(q)} | ${items.get(q)!.map(ref).join(", ")} |`);
    }
    L.push("");
  }

  // Details
  L.push("## Rules", "");
  for (const r of rules) {
    const file = normPath(r.file);
    L.push(`<a id="${anchor(r.id)}"></a>`, "", `### ${r.id} — ${oneLine(r.title)}`, "");
    if (r.description) L.push(oneLine(r.description), "");
    const facts: string[] = [
      `- **Severity:** ${r.severity} · **Enforcement:** ${formatEnforcement(r.enforcement)}` +
        (r.scope ? ` · **Scope:** ${r.scope}` : ""),
    ];
    const frameworks = ruleFrameworks(r);
    if (frameworks.length) {
      facts.push(
        `- **Frameworks:** ${frameworks.map((fw) => `${FRAMEWORK_NAMES[fw] ?? fw} ${reqs(r, fw).join(", ")}`).join("; ")}`,
      );
    }
    if (r.resource_types?.length) {
      facts.push(
        `- **Resource types:** ${[...r.resource_types]
          .sort(byString)
          .map((t) => `\`${t}\``)
          .join(", ")}`,
      );
    }
    facts.push(`- **Peers:** ${formatPeers(r.peers)}`);
    if (r.stricter_than_peers) facts.push(`- **Stricter than peers:** ${oneLine(r.stricter_than_peers)}`);
    facts.push(`- **Remediation:** ${r.remediation ? oneLine(r.remediation) : "—"}`);
    const links = [`rule [${file}](${ROOT}${file})`, `tests [${testFileOf(file)}](${ROOT}${testFileOf(file)})`];
    if (r.construct) links.push(`construct [${normPath(r.construct)}](${ROOT}${normPath(r.construct)})`);
    const ct = constructTest(r);
    if (ct) links.push(`construct tests [${ct}](${ROOT}${ct})`);
    facts.push(`- **Source:** ${links.join(" · ")}`);
    L.push(...facts, "");
  }
  return L.join("\n").replace(/\n+$/, "\n");
}
