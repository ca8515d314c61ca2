/**
 * A directory of Terraform `.tf` / `.tf.json` files → ResourceModel[] (parsed by `@cdktf/hcl2json`, evaluated
 * by `hcl-expr.ts`), the way Terraform would read it:
 *
 * - **local modules** (`source = "./x"`, `"../x"`) are expanded with module addresses
 *   (`module.net.azurerm_subnet.a`, `module.net[0]…`, `module.net["k"]…`), their variables set from the module
 *   call's arguments and their outputs readable as `module.net.<output>`. Registry / git / http modules are read
 *   from `.terraform/modules/modules.json` when `terraform init` has downloaded them, otherwise the directory is
 *   **refused** (exit 2): the gate never passes resources it cannot see;
 * - **`count` / `for_each`** expand to instances (`x[0]`, `x["a"]`; 0 instances = the resource is absent).
 *   When the count / for_each value is unknown (e.g. a variable without a value), the resource may exist: it is
 *   gated as **one representative instance** (`x[*]`) whose values are evaluated with `count.index` / `each.*`
 *   unknown, and whose `unknown` list holds `count` or `for_each` — its controls are checked (a non-compliant
 *   literal is a finding, a value that depends on the instance is unknown, hence a finding for a mandatory
 *   control), and a warning names it. Rules that need a resource to exist must not count such an instance;
 * - **`dynamic` blocks** are expanded when their `for_each` is known; otherwise the whole block list is unknown
 *   (value null, path in `unknown`), never silently absent;
 * - **override files** (`override.tf`, `*_override.tf`, and `.tf.json`) are merged as Terraform merges them:
 *   attribute by attribute; a nested block type in the override replaces every block of that type;
 * - **variables** take their value from `terraform.tfvars`, `*.auto.tfvars` (and `.json`), else their default;
 *   a variable with neither is unknown; **locals** are evaluated;
 * - **references** are index-aware (`azurerm_x.a[0].id` refers to instance 0 only) and follow module outputs;
 *   attributes set in configuration are read through references (`location =
 *   azurerm_resource_group.x.location` is the resource group's literal location), computed ones (ids) are
 *   unknown and refer to their resource.
 *
 * Expressions the evaluator does not understand are unknown, never guessed. Two blocks with the same address
 * are refused with both file:line. Files are read through `limits.ts` (regular files only, size caps).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import {
  configResource,
  displayPath,
  lineLocator,
  normalizeProviderSource,
  providerLocalName,
  requiredProviders,
  resourceKey,
} from "./common";
import { checkRegularFile, jsonDepth, jsonErrorWhere, limitOf, limitEnv, nonFinitePath, readInputFile } from "./limits";
import { MAX_PLAN_DEPTH } from "./plan";
import {
  InstanceValue,
  Unknown,
  UNKNOWN,
  evaluate,
  isTemplate,
  isUnknown,
  parseValueString,
  unknownOf,
  type EvalContext,
  type ResolvedStep,
  type Scope,
  type Value,
} from "./hcl-expr";

type Json = Record<string, unknown>;

export interface HclOptions {
  /** Stack name for the directory's resources (default: the directory's base name). */
  readonly stack?: string;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  readonly root?: string;
}

export interface HclResult {
  readonly resources: ResourceModel[];
  readonly stack: string;
  readonly files: string[];
  readonly warnings: string[];
  /** Where the time went (ms): the converter (hcl2json) vs reading, declarations and evaluation. */
  readonly timings: { readonly parseMs: number; readonly totalMs: number };
}

/** Time spent inside @cdktf/hcl2json (for the bench's breakdown). */
let parseMsTotal = 0;

// ------------------------------------------------------------------------------------------------ parsing

let pendingParses = 0;
let parsingFile = "";
function onBeforeExit(): void {
  // The Go runtime inside @cdktf/hcl2json died (e.g. out of memory) with a parse pending: its promise never
  // settles and Node would end with exit 0 and no output. Refuse instead.
  if (pendingParses > 0) {
    process.stderr.write(
      `zonegate: the HCL converter (@cdktf/hcl2json) stopped while parsing ${parsingFile} (out of memory?); ` +
        `nothing was gated — split the directory or gate its plan (terraform show -json)\n`,
    );
    process.exit(2);
  }
}

async function hcl2json(file: string, text: string, shown: string): Promise<Json> {
  // Loaded on the first HCL input only (not for plans, synth output or --help): the Go parser is a 1.7 MB
  // Wasm module compiled when it loads. A lazy require (not import()): the same module instance under tsx, ts-jest
  // and the compiled CLI, so a test can stand in for the converter (test/gate/normalize-hcl.test.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require("@cdktf/hcl2json") as typeof import("@cdktf/hcl2json");
  if (pendingParses++ === 0) process.on("beforeExit", onBeforeExit);
  parsingFile = shown;
  const t0 = performance.now();
  try {
    return await parse(path.basename(file), text);
  } catch (e) {
    const msg = String((e as Error)?.message ?? e)
      .trim()
      .split("\n")[0];
    // The converter reports `parse config: [main.tf:7,21-8,1: Summary; Detail.]`: make it file:line:column.
    const m = /(?:^|\[)[^[\]:]*:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)\]?/.exec(msg);
    if (m) throw new GateError(`${shown}:${m[1]}:${m[2]}: HCL parse error: ${m[3].trim()}`);
    throw new GateError(`${shown}: HCL parse error: ${msg}`);
  } finally {
    parseMsTotal += performance.now() - t0;
    if (--pendingParses === 0) process.removeListener("beforeExit", onBeforeExit);
  }
}

/** A number literal that overflows (hcl2json turns `1e400` into null): refused with file:line:column. */
function checkNumberLiterals(text: string, shown: string): void {
  const re = /(?<![A-Za-z0-9_."])(\d+(?:\.\d+)?[eE][+]?\d{3,}|\d{309,})/g;
  const lineOf = lineLocator(text);
  for (const m of text.matchAll(re)) {
    if (Number.isFinite(Number(m[1]))) continue;
    const lineStart = text.lastIndexOf("\n", m.index) + 1;
    const before = text.slice(lineStart, m.index);
    if ((before.match(/"/g) ?? []).length % 2 === 1 || /#|\/\//.test(before)) continue; // inside a string / comment
    throw new GateError(
      `${shown}:${lineOf(m.index)}:${m.index - lineStart + 1}: number ${m[1].slice(0, 40)} is out of range ` +
        `(it would silently become null); refusing the input`,
    );
  }
}

/** `__proto__` as a name would reach object prototypes in the evaluator: refused (no real configuration uses it). */
function checkProtoKey(text: string, shown: string): void {
  const i = text.indexOf("__proto__");
  if (i < 0) return;
  const lineOf = lineLocator(text);
  const line = lineOf(i);
  const col = i - text.lastIndexOf("\n", i - 1);
  throw new GateError(`${shown}:${line}:${col}: the name __proto__ is not accepted in configuration`);
}

/** Parse one file to the hcl2json shape (`resource.<type>.<name>` = list of bodies). */
export async function parseTerraformFile(file: string, root?: string, within?: string): Promise<Json> {
  return (await readTerraformFile(file, root, within)).doc;
}

async function readTerraformFile(
  file: string,
  root?: string,
  within?: string,
): Promise<{ doc: Json; text: string; shown: string }> {
  const shown = displayPath(file, root);
  const text = readInputFile(file, { display: shown, what: "HCL file", kind: "hcl-file", within });
  checkProtoKey(text, shown);
  if (file.endsWith(".json")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new GateError(`${shown}${jsonErrorWhere(text, e as Error)}: not valid JSON (${(e as Error).message})`);
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      throw new GateError(`${shown}: a Terraform JSON file must hold one object`);
    }
    const bad = nonFinitePath(doc, text);
    if (bad) throw new GateError(`${shown}: ${bad}: number out of range (non-finite); refusing the input`);
    const depth = jsonDepth(text);
    if (depth > MAX_PLAN_DEPTH) {
      throw new GateError(`${shown}: nested ${depth} levels deep (at most ${MAX_PLAN_DEPTH}); refusing the input`);
    }
    return { doc: doc as Json, text, shown };
  }
  checkNumberLiterals(text, shown);
  return { doc: await hcl2json(file, text, shown), text, shown };
}

// ------------------------------------------------------------------------------------------------ declarations

type DeclKind = "resource" | "data" | "module" | "variable" | "output";

interface Decl {
  readonly kind: DeclKind;
  readonly type: string;
  readonly name: string;
  body: Json;
  readonly file: string;
  readonly line?: number;
  /** Resources and data sources: the provider's normalized source (the module's required_providers). */
  providerSource?: string;
}

interface LocalDecl {
  value: unknown;
  readonly file: string;
  readonly line?: number;
}

interface ModuleConfig {
  readonly dir: string;
  readonly files: string[];
  /** `resource.<type>.<name>` / `data.<type>.<name>` → declaration, in declaration order. */
  readonly resources: Map<string, Decl>;
  readonly modules: Map<string, Decl>;
  readonly variables: Map<string, Decl>;
  readonly outputs: Map<string, Decl>;
  readonly locals: Map<string, LocalDecl>;
  /** Root module only: values from *.tfvars. */
  readonly tfvars: Map<string, unknown>;
}

function isObject(x: unknown): x is Json {
  return !!x && typeof x === "object" && !Array.isArray(x);
}

/** Object or list of objects (the JSON syntax allows both at every level) → list. */
function bodies(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  if (isObject(v)) return [v];
  return [];
}

/** Label → bodies pairs of a labelled section (`{label: body | [body…]}` or a list of such objects). */
function labelled(v: unknown): [string, Json][] {
  const out: [string, Json][] = [];
  for (const part of bodies(v)) {
    for (const [label, b] of Object.entries(part)) {
      if (label === "//") continue;
      for (const body of bodies(b)) out.push([label, body]);
    }
  }
  return out;
}

/** Lines of block headers in a `.tf` text: `kind\0label1\0label2` → lines in order (one pass). */
function hclHeaderLines(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re =
    /^[ \t]*(resource|data|module|variable|output)[ \t]+(?:"([^"\n]*)"|([A-Za-z0-9_-]+))(?:[ \t]+(?:"([^"\n]*)"|([A-Za-z0-9_-]+)))?[ \t]*\{/gm;
  const lineOf = lineLocator(text);
  for (const m of text.matchAll(re)) {
    const kind = m[1];
    const a = m[2] ?? m[3];
    const b = m[4] ?? m[5] ?? "";
    const key = kind === "resource" || kind === "data" ? `${kind}\0${a}\0${b}` : `${kind}\0${a}\0`;
    const list = out.get(key) ?? [];
    list.push(lineOf(m.index));
    out.set(key, list);
  }
  return out;
}

/**
 * Lines of declarations in a `.tf.json` text: one linear scan of the JSON keys, recording the offset of every
 * key at `resource|data.<type>.<name>` and `module|variable|output.<name>` (array levels skipped).
 */
function jsonHeaderLines(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const lineOf = lineLocator(text);
  // Stack of frames: for objects, the current key path (without array levels).
  const stack: { obj: boolean; key?: string }[] = [];
  const keyPath = (): string[] => stack.filter((f) => f.obj && f.key !== undefined).map((f) => f.key!);
  let i = 0;
  const n = text.length;
  let expectKey = false;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (expectKey && stack.length && stack[stack.length - 1].obj) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          key = text.slice(i + 1, j);
        }
        stack[stack.length - 1].key = key;
        const p = keyPath();
        if (p.length <= 3) {
          const [k0, k1, k2] = p;
          let id: string | undefined;
          if ((k0 === "resource" || k0 === "data") && p.length === 3) id = `${k0}\0${k1}\0${k2}`;
          else if ((k0 === "module" || k0 === "variable" || k0 === "output") && p.length === 2) id = `${k0}\0${k1}\0`;
          if (id) {
            const list = out.get(id) ?? [];
            list.push(lineOf(i));
            out.set(id, list);
          }
        }
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === "{") {
      stack.push({ obj: true });
      expectKey = true;
    } else if (c === "[") stack.push({ obj: false });
    else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") expectKey = !!stack.length && stack[stack.length - 1].obj;
    i++;
  }
  return out;
}

const OVERRIDE_RE = /(^|_)override\.tf(\.json)?$/;

function isOverride(file: string): boolean {
  return OVERRIDE_RE.test(path.basename(file));
}

function declName(d: { kind: DeclKind; type: string; name: string }): string {
  if (d.kind === "resource") return `resource "${d.type}" "${d.name}"`;
  if (d.kind === "data") return `data "${d.type}" "${d.name}"`;
  return `${d.kind} "${d.name}"`;
}

function where(file: string, line?: number): string {
  return line ? `${file}:${line}` : file;
}

/** Terraform's override merge of one block body: attributes replaced; a nested block type replaces all blocks of it. */
function mergeBody(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === "//") continue;
    if (k === "dynamic") {
      const dyn: Json = isObject(out.dynamic) ? { ...out.dynamic } : {};
      for (const [name, spec] of labelled(v)) {
        delete out[name];
        dyn[name] = [spec];
      }
      out.dynamic = dyn;
      continue;
    }
    if (k === "lifecycle" && Array.isArray(out.lifecycle) && Array.isArray(v)) {
      out.lifecycle = [{ ...(bodies(out.lifecycle)[0] ?? {}), ...(bodies(v)[0] ?? {}) }];
      continue;
    }
    if (k === "count") delete out.for_each;
    if (k === "for_each") delete out.count;
    out[k] = v;
    if (isObject(out.dynamic) && k in out.dynamic) {
      const dyn = { ...out.dynamic };
      delete dyn[k];
      out.dynamic = dyn;
    }
  }
  return out;
}

interface LoadState {
  totalBytes: number;
  readonly root: string;
}

/** Terraform skips editor and hidden files: names starting with `.`, ending with `~`, or `#…#`. */
function ignoredByTerraform(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}

function listFiles(dir: string, shownDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new GateError(`${shownDir}: cannot list the directory (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return entries
    .filter((d) => (d.name.endsWith(".tf") || d.name.endsWith(".tf.json")) && !ignoredByTerraform(d.name))
    .map((d) => d.name)
    .sort()
    .map((f) => path.join(dir, f));
}

async function loadModule(dirOrFile: string, st: LoadState, isRoot: boolean): Promise<ModuleConfig> {
  const shownDir = displayPath(dirOrFile, st.root);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dirOrFile);
  } catch {
    throw new GateError(`HCL directory not found: ${shownDir}`);
  }
  const single = stat.isFile();
  if (!single && !stat.isDirectory()) throw new GateError(`${shownDir}: not a directory or .tf file`);
  const dir = single ? path.dirname(dirOrFile) : dirOrFile;
  const files = single ? [dirOrFile] : listFiles(dir, shownDir);
  if (files.length === 0) throw new GateError(`no .tf or .tf.json files in ${shownDir}`);
  const cfg: ModuleConfig = {
    dir,
    files: [],
    resources: new Map(),
    modules: new Map(),
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    tfvars: new Map(),
  };
  const providers = new Map<string, string>();
  const primary = files.filter((f) => !isOverride(f));
  const overrides = files.filter(isOverride);
  const maxTotal = limitOf("hcl-total");
  const read = async (f: string) => {
    const size = checkRegularFile(f, {
      display: displayPath(f, st.root),
      what: "HCL file",
      kind: "hcl-file",
      within: dir,
    }).size;
    st.totalBytes += size;
    if (st.totalBytes > maxTotal) {
      throw new GateError(
        `${displayPath(f, st.root)}: the HCL input exceeds ${maxTotal} bytes in total (${limitEnv("hcl-total")} raises it)`,
      );
    }
    const r = await readTerraformFile(f, st.root, dir);
    cfg.files.push(r.shown);
    return { ...r, lines: f.endsWith(".json") ? jsonHeaderLines(r.text) : hclHeaderLines(r.text) };
  };
  for (const f of primary) {
    const { doc, shown, lines } = await read(f);
    for (const [k, v] of requiredProviders(doc.terraform)) providers.set(k, v);
    for (const d of declarations(doc, shown, lines)) {
      const map = mapFor(cfg, d.kind);
      const id = d.kind === "resource" || d.kind === "data" ? `${d.kind}.${d.type}.${d.name}` : d.name;
      const prev = map.get(id);
      if (prev) {
        throw new GateError(
          `${where(d.file, d.line)}: duplicate ${declName(d)}: already declared at ${where(prev.file, prev.line)}; ` +
            `Terraform refuses two blocks with the same address`,
        );
      }
      map.set(id, d);
    }
    for (const [name, l] of localsOf(doc, shown)) {
      const prev = cfg.locals.get(name);
      if (prev) throw new GateError(`${shown}: duplicate local value "${name}": already declared in ${prev.file}`);
      cfg.locals.set(name, l);
    }
  }
  for (const f of overrides) {
    const { doc, shown, lines } = await read(f);
    for (const d of declarations(doc, shown, lines)) {
      const map = mapFor(cfg, d.kind);
      const id = d.kind === "resource" || d.kind === "data" ? `${d.kind}.${d.type}.${d.name}` : d.name;
      const prev = map.get(id);
      if (!prev) {
        throw new GateError(
          `${where(d.file, d.line)}: override file declares ${declName(d)}, which no other file declares ` +
            `(Terraform: "Missing base configuration for override")`,
        );
      }
      prev.body = mergeBody(prev.body, d.body);
    }
    for (const [name, l] of localsOf(doc, shown)) {
      const prev = cfg.locals.get(name);
      if (!prev) throw new GateError(`${shown}: override file sets local "${name}", which no other file declares`);
      prev.value = l.value;
    }
  }
  if (isRoot && !single) await readTfvars(dir, cfg, st);
  for (const d of cfg.resources.values()) {
    const local = providerLocalName(d.type, d.body.provider);
    d.providerSource = providers.get(local) ?? normalizeProviderSource(local);
  }
  return cfg;
}

function mapFor(cfg: ModuleConfig, kind: DeclKind): Map<string, Decl> {
  if (kind === "resource" || kind === "data") return cfg.resources;
  if (kind === "module") return cfg.modules;
  if (kind === "variable") return cfg.variables;
  return cfg.outputs;
}

/** A labelled section whose bodies are not objects (e.g. `"x": "oops"` in JSON) is refused, never dropped. */
function strictLabelled(v: unknown, file: string, what: string): [string, Json][] {
  if (v === undefined) return [];
  const parts = Array.isArray(v) ? v : [v];
  for (const part of parts) {
    if (!isObject(part)) throw new GateError(`${file}: ${what} is not a block (object)`);
    for (const [label, b] of Object.entries(part)) {
      if (label === "//") continue;
      const list = Array.isArray(b) ? b : [b];
      if (!list.every(isObject)) throw new GateError(`${file}: ${what} "${label}" is not a block (object)`);
    }
  }
  return labelled(v);
}

function declarations(doc: Json, file: string, lines: Map<string, number[]>): Decl[] {
  const out: Decl[] = [];
  const used = new Map<string, number>();
  const lineFor = (id: string): number | undefined => {
    const i = used.get(id) ?? 0;
    used.set(id, i + 1);
    return lines.get(id)?.[i];
  };
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of strictLabelled(doc[kind], file, kind)) {
      for (const [name, body] of strictLabelled([byName], file, `${kind} "${type}"`)) {
        out.push({ kind, type, name, body, file, line: lineFor(`${kind}\0${type}\0${name}`) });
      }
    }
  }
  for (const kind of ["module", "variable", "output"] as const) {
    for (const [name, body] of strictLabelled(doc[kind], file, kind)) {
      out.push({ kind, type: kind, name, body, file, line: lineFor(`${kind}\0${name}\0`) });
    }
  }
  for (const key of Object.keys(doc)) {
    if (!KNOWN_TOP.has(key)) {
      throw new GateError(`${file}: unknown top-level block "${key}"; refusing what the gate cannot read`);
    }
  }
  return out;
}

const KNOWN_TOP = new Set([
  "resource",
  "data",
  "module",
  "variable",
  "output",
  "locals",
  "provider",
  "terraform",
  "moved",
  "import",
  "removed",
  "check",
  "ephemeral",
  "//",
]);

function localsOf(doc: Json, file: string): [string, LocalDecl][] {
  const out: [string, LocalDecl][] = [];
  if (doc.locals !== undefined && !(Array.isArray(doc.locals) ? doc.locals.every(isObject) : isObject(doc.locals))) {
    throw new GateError(`${file}: locals is not a block (object)`);
  }
  for (const block of bodies(doc.locals)) {
    for (const [k, v] of Object.entries(block)) if (k !== "//") out.push([k, { value: v, file }]);
  }
  return out;
}

async function readTfvars(dir: string, cfg: ModuleConfig, st: LoadState): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const files = [
    ...names.filter((f) => f === "terraform.tfvars" || f === "terraform.tfvars.json"),
    ...names.filter((f) => /\.auto\.tfvars(\.json)?$/.test(f)).sort(),
  ];
  for (const f of files) {
    const full = path.join(dir, f);
    const shown = displayPath(full, st.root);
    const text = readInputFile(full, { display: shown, what: "variables file", kind: "hcl-file", within: dir });
    checkProtoKey(text, shown);
    let doc: Json;
    if (f.endsWith(".json")) {
      try {
        doc = JSON.parse(text) as Json;
      } catch (e) {
        throw new GateError(`${shown}${jsonErrorWhere(text, e as Error)}: not valid JSON (${(e as Error).message})`);
      }
      if (!isObject(doc)) throw new GateError(`${shown}: a variables file must hold one object`);
      const bad = nonFinitePath(doc, text);
      if (bad) throw new GateError(`${shown}: ${bad}: number out of range (non-finite)`);
    } else {
      checkNumberLiterals(text, shown);
      doc = await hcl2json(full, text, shown);
    }
    cfg.tfvars.set("//files", [...((cfg.tfvars.get("//files") as string[]) ?? []), shown]);
    for (const [k, v] of Object.entries(doc)) if (k !== "//") cfg.tfvars.set(k, v);
  }
}

// ------------------------------------------------------------------------------------------------ evaluation

const RESOURCE_META = new Set([
  "count",
  "for_each",
  "depends_on",
  "provider",
  "lifecycle",
  "provisioner",
  "connection",
  "//",
]);
const BUDGET = 2_000_000;

/** Per-instance meta values (`count.index`, `each.key` / `each.value`). */
interface Meta {
  readonly count?: Value;
  readonly each?: { key: Value; value: Value };
}

interface Instance {
  readonly address: string;
  readonly key: string;
  readonly decl: Decl;
  readonly env: ModEnv;
  readonly meta: Meta;
  /** `count` / `for_each` when the instance stands for an unknown number of instances. */
  readonly existenceUnknown?: "count" | "for_each";
  /**
   * For an instance inside a module instance of unknown count: that module instance's address prefix. Its
   * references to resources under the prefix are kept (they exist together); other outgoing references are
   * dropped, so an instance that may not exist never covers another resource (a diagnostic setting, private
   * endpoint or association with an unknown count proves nothing).
   */
  readonly existenceScope?: string;
  readonly value: InstanceValue;
  evaluated?: Evaluated;
  evaluating?: boolean;
}

interface Evaluated {
  readonly tree: Record<string, Value>;
  readonly refs: Map<string, Set<string>>;
}

type InstanceSet =
  | { kind: "single"; list: Instance[] }
  | { kind: "count"; list: Instance[] }
  | { kind: "each"; list: Instance[]; byKey: Map<string, Instance> }
  | { kind: "unknown"; list: Instance[] };

type ModuleSet =
  | { kind: "single"; list: ModEnv[] }
  | { kind: "count"; list: ModEnv[] }
  | { kind: "each"; list: ModEnv[]; byKey: Map<string, ModEnv> }
  | { kind: "unknown"; list: ModEnv[] };

interface Run {
  readonly stack: string;
  readonly root: string;
  readonly rootDir: string;
  readonly warnings: string[];
  instances: number;
  readonly maxInstances: number;
}

function stripIter(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/.exec(v);
  return m ? m[1] : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(v) ? v : undefined;
}

function instanceSuffix(k: Value): string {
  return typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`;
}

class ModEnv {
  private readonly localCache = new Map<string, { value: Value; refs: Set<string> } | "busy">();
  private readonly varCache = new Map<string, { value: Value; refs: Set<string> }>();
  private readonly outputCache = new Map<string, { value: Value; refs: Set<string> } | "busy">();
  readonly resourceSets = new Map<string, InstanceSet>();
  readonly moduleSets = new Map<string, ModuleSet>();

  constructor(
    readonly run: Run,
    readonly cfg: ModuleConfig,
    /** Address prefix: `` or `module.a.` / `module.a[0].`. */
    readonly prefix: string,
    readonly depth: number,
    readonly ancestors: readonly string[],
    /** The module call (in the parent) and its meta values, for variables. */
    readonly call?: { readonly decl: Decl; readonly parent: ModEnv; readonly meta: Meta },
    readonly existenceUnknown?: "count" | "for_each",
    /** Address prefix of the (innermost) module instance of unknown count this env is inside. */
    readonly existenceScope?: string,
  ) {}

  scope(meta: Meta = {}): Scope {
    return new InstScope(this, meta);
  }

  ctx(meta: Meta = {}): EvalContext {
    return { scope: this.scope(meta), refs: new Set(), budget: { n: BUDGET } };
  }

  /** Evaluate a raw hcl2json value (strings are templates) into a Value. */
  evalRaw(raw: unknown, ctx: EvalContext): Value {
    if (typeof raw === "string") return isTemplate(raw) ? evaluate(parseValueString(raw), ctx) : raw;
    if (raw === null || typeof raw === "number" || typeof raw === "boolean") return raw as Value;
    if (Array.isArray(raw)) return raw.map((x) => this.evalRaw(x, ctx));
    if (isObject(raw)) {
      const o: Record<string, Value> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (k === "//") continue;
        let key = k;
        if (isTemplate(k)) {
          const kv = evaluate(parseValueString(k), ctx);
          if (typeof kv !== "string") return unknownOf(kv);
          key = kv;
        }
        o[key] = this.evalRaw(v, ctx);
      }
      return o;
    }
    return UNKNOWN;
  }

  variable(name: string, into: Set<string>): Value {
    const c = this.varCache.get(name);
    if (c !== undefined) {
      if (!isCollection(c.value)) for (const r of c.refs) into.add(r);
      return c.value;
    }
    const decl = this.cfg.variables.get(name);
    let v: Value = UNKNOWN;
    let refs: Set<string> = new Set();
    if (decl) {
      if (this.call && name in this.call.decl.body) {
        const ctx = this.call.parent.ctx(this.call.meta);
        v = this.call.parent.evalRaw(this.call.decl.body[name], ctx);
        refs = ctx.refs;
      } else if (!this.call && this.cfg.tfvars.has(name)) {
        v = this.evalRaw(this.cfg.tfvars.get(name), { scope: EMPTY_SCOPE, refs: new Set(), budget: { n: BUDGET } });
      } else if ("default" in decl.body) {
        v = this.evalRaw(decl.body.default, { scope: EMPTY_SCOPE, refs: new Set(), budget: { n: BUDGET } });
      }
    }
    this.varCache.set(name, { value: v, refs });
    if (!isCollection(v)) for (const r of refs) into.add(r);
    return v;
  }

  local(name: string, into: Set<string>): Value {
    const c = this.localCache.get(name);
    if (c === "busy") return UNKNOWN; // a cycle: Terraform refuses it; never a value
    if (c) {
      if (!isCollection(c.value)) for (const r of c.refs) into.add(r);
      return c.value;
    }
    const decl = this.cfg.locals.get(name);
    if (!decl) return UNKNOWN;
    this.localCache.set(name, "busy");
    const ctx = this.ctx();
    let value: Value;
    try {
      value = this.evalRaw(decl.value, ctx);
    } finally {
      this.localCache.delete(name);
    }
    this.localCache.set(name, { value, refs: ctx.refs });
    if (!isCollection(value)) for (const r of ctx.refs) into.add(r);
    return value;
  }

  output(name: string, into: Set<string>): Value {
    const c = this.outputCache.get(name);
    if (c === "busy") return UNKNOWN;
    if (c) {
      if (!isCollection(c.value)) for (const r of c.refs) into.add(r);
      return c.value;
    }
    const decl = this.cfg.outputs.get(name);
    if (!decl) return UNKNOWN;
    this.outputCache.set(name, "busy");
    const ctx = this.ctx();
    let value: Value;
    try {
      value = this.evalRaw(decl.body.value, ctx);
    } finally {
      this.outputCache.delete(name);
    }
    this.outputCache.set(name, { value, refs: ctx.refs });
    // A scalar output carries its references; a collection's elements carry their own (index-aware).
    if (!isCollection(value)) for (const r of ctx.refs) into.add(r);
    return value;
  }

  outputsObject(into: Set<string>): Value {
    const o: Record<string, Value> = {};
    for (const name of this.cfg.outputs.keys()) o[name] = this.output(name, into);
    return o;
  }

  /** Instances of a resource / data source (`resource.<type>.<name>` / `data.<type>.<name>`). */
  resourceSet(id: string): InstanceSet | undefined {
    const c = this.resourceSets.get(id);
    if (c) return c;
    const decl = this.cfg.resources.get(id);
    if (!decl) return undefined;
    // Placeholder while expanding: a count / for_each that refers to its own resource is a cycle (unknown).
    this.resourceSets.set(id, { kind: "unknown", list: [] });
    const base = `${this.prefix}${decl.kind === "data" ? "data." : ""}${decl.type}.${decl.name}`;
    const set = this.expand<Instance, InstanceSet>(decl, this, base, (address, meta, unknownKind) =>
      this.newInstance(
        decl,
        address,
        meta,
        unknownKind ?? this.existenceUnknown,
        unknownKind ? undefined : this.existenceScope,
      ),
    );
    this.resourceSets.set(id, set);
    return set;
  }

  moduleSet(name: string): ModuleSet | undefined {
    const c = this.moduleSets.get(name);
    if (c) return c;
    const decl = this.cfg.modules.get(name);
    if (!decl) return undefined;
    // Placeholder while expanding (a module output read while its own call expands is a cycle).
    this.moduleSets.set(name, { kind: "unknown", list: [] });
    const childCfg = this.loadedChild(decl);
    const set = this.expand<ModEnv, ModuleSet>(decl, this, `${this.prefix}module.${name}`, (address, meta, uk) => {
      if (this.depth + 1 > 32) {
        throw new GateError(`${where(decl.file, decl.line)}: modules nested more than 32 deep`);
      }
      return new ModEnv(
        this.run,
        childCfg,
        `${address}.`,
        this.depth + 1,
        [...this.ancestors, childCfg.dir],
        { decl, parent: this, meta },
        uk ?? this.existenceUnknown,
        uk ? `${address}.` : this.existenceScope,
      );
    });
    this.moduleSets.set(name, set);
    return set;
  }

  /** Child configurations are loaded before evaluation (see {@link loadTree}); this looks one up. */
  private loadedChild(decl: Decl): ModuleConfig {
    const cfg = CHILD_CONFIGS.get(decl);
    if (!cfg) throw new GateError(`${where(decl.file, decl.line)}: module "${decl.name}" was not loaded`);
    return cfg;
  }

  private expand<T, S extends { kind: string; list: T[] }>(
    decl: Decl,
    env: ModEnv,
    base: string,
    make: (address: string, meta: Meta, unknownKind?: "count" | "for_each") => T,
  ): S {
    const body = decl.body;
    const what = declName(decl);
    if ("count" in body && "for_each" in body) {
      throw new GateError(`${where(decl.file, decl.line)}: ${what} sets both count and for_each`);
    }
    if ("count" in body) {
      const ctx = env.ctx();
      const n = env.evalRaw(body.count, ctx);
      if (isUnknown(n) || hasInstance(n)) {
        this.run.warnings.push(
          `${where(decl.file, decl.line)}: ${what}: count is unknown until apply; gated as one representative instance ${base}[*]`,
        );
        return { kind: "unknown", list: [make(`${base}[*]`, { count: UNKNOWN }, "count")] } as unknown as S;
      }
      const num = typeof n === "string" && /^[0-9]+$/.test(n) ? Number(n) : n;
      if (typeof num !== "number" || !Number.isInteger(num) || num < 0) {
        throw new GateError(
          `${where(decl.file, decl.line)}: ${what}: count must be a whole number ≥ 0, got ${JSON.stringify(n)}`,
        );
      }
      this.spend(num, decl);
      const list: T[] = [];
      for (let i = 0; i < num; i++) list.push(make(`${base}[${i}]`, { count: i }));
      return { kind: "count", list } as unknown as S;
    }
    if ("for_each" in body) {
      const ctx = env.ctx();
      const fe = env.evalRaw(body.for_each, ctx);
      if (isUnknown(fe) || fe instanceof InstanceValue) {
        this.run.warnings.push(
          `${where(decl.file, decl.line)}: ${what}: for_each is unknown until apply; gated as one representative instance ${base}[*]`,
        );
        return {
          kind: "unknown",
          list: [make(`${base}[*]`, { each: { key: UNKNOWN, value: UNKNOWN } }, "for_each")],
        } as unknown as S;
      }
      const pairs: [string, Value][] = [];
      if (Array.isArray(fe)) {
        // A set of strings: keys and values are the strings.
        for (const x of fe) {
          if (isUnknown(x)) {
            this.run.warnings.push(
              `${where(decl.file, decl.line)}: ${what}: a for_each key is unknown until apply; gated as one representative instance ${base}[*]`,
            );
            return {
              kind: "unknown",
              list: [make(`${base}[*]`, { each: { key: UNKNOWN, value: UNKNOWN } }, "for_each")],
            } as unknown as S;
          }
          if (typeof x !== "string") {
            throw new GateError(
              `${where(decl.file, decl.line)}: ${what}: for_each over a list needs a set of strings (toset([...]))`,
            );
          }
          if (!pairs.some(([k]) => k === x)) pairs.push([x, x]);
        }
      } else if (fe && typeof fe === "object") {
        for (const k of Object.keys(fe).sort()) pairs.push([k, (fe as Record<string, Value>)[k]]);
      } else {
        throw new GateError(
          `${where(decl.file, decl.line)}: ${what}: for_each must be a map or a set of strings, got ${JSON.stringify(fe)}`,
        );
      }
      this.spend(pairs.length, decl);
      const list: T[] = [];
      const byKey = new Map<string, T>();
      for (const [k, v] of pairs) {
        const t = make(`${base}${instanceSuffix(k)}`, { each: { key: k, value: v } });
        list.push(t);
        byKey.set(k, t);
      }
      return { kind: "each", list, byKey } as unknown as S;
    }
    this.spend(1, decl);
    return { kind: "single", list: [make(base, {})] } as unknown as S;
  }

  private spend(n: number, decl: Decl): void {
    this.run.instances += n;
    if (this.run.instances > this.run.maxInstances) {
      throw new GateError(
        `${where(decl.file, decl.line)}: the HCL input expands to more than ${this.run.maxInstances} resource / module ` +
          `instances (${limitEnv("hcl-instances")} raises the cap)`,
      );
    }
  }

  private newInstance(
    decl: Decl,
    address: string,
    meta: Meta,
    existenceUnknown?: "count" | "for_each",
    existenceScope?: string,
  ): Instance {
    const key = resourceKey(this.run.stack, address);
    const inst: Instance = {
      address,
      key,
      decl,
      env: this,
      meta,
      existenceUnknown,
      existenceScope,
      value: new InstanceValue(key, () => evaluateInstance(inst).tree),
    };
    return inst;
  }
}

function hasInstance(v: Value): boolean {
  return v instanceof InstanceValue;
}

function isCollection(v: Value): boolean {
  return Array.isArray(v) || (!!v && typeof v === "object" && !(v instanceof Unknown) && !(v instanceof InstanceValue));
}

const CHILD_CONFIGS = new WeakMap<Decl, ModuleConfig>();

const EMPTY_SCOPE: Scope = {
  resolve: (_root, steps) => ({ value: UNKNOWN, used: steps.length }),
};

class InstScope implements Scope {
  constructor(
    private readonly env: ModEnv,
    private readonly meta: Meta,
  ) {}

  resolve(root: string, steps: readonly ResolvedStep[], ctx: EvalContext): { value: Value; used: number } {
    const all = steps.length;
    const attr = (i: number): string | undefined =>
      steps[i]?.kind === "attr" ? (steps[i] as { name: string }).name : undefined;
    switch (root) {
      case "var": {
        const n = attr(0);
        return n ? { value: this.env.variable(n, ctx.refs), used: 1 } : { value: UNKNOWN, used: all };
      }
      case "local": {
        const n = attr(0);
        return n ? { value: this.env.local(n, ctx.refs), used: 1 } : { value: UNKNOWN, used: all };
      }
      case "count":
        return attr(0) === "index" && this.meta.count !== undefined
          ? { value: this.meta.count, used: 1 }
          : { value: UNKNOWN, used: all };
      case "each": {
        const n = attr(0);
        if (!this.meta.each || (n !== "key" && n !== "value")) return { value: UNKNOWN, used: all };
        return { value: this.meta.each[n], used: 1 };
      }
      case "path": {
        const n = attr(0);
        if (n === "module") {
          const rel = path.relative(this.env.run.rootDir, this.env.cfg.dir).split(path.sep).join("/");
          return { value: rel || ".", used: 1 };
        }
        if (n === "root") return { value: ".", used: 1 };
        return { value: UNKNOWN, used: all };
      }
      case "terraform":
      case "self":
        return { value: UNKNOWN, used: all };
      case "module":
        return this.module(steps, ctx);
      case "data": {
        const t = attr(0);
        const n = attr(1);
        if (!t || !n) return { value: UNKNOWN, used: all };
        return this.resource(`data.${t}.${n}`, steps, 2, ctx);
      }
      default: {
        const n = attr(0);
        if (!n || !root.includes("_")) return { value: UNKNOWN, used: all };
        return this.resource(`resource.${root}.${n}`, steps, 1, ctx);
      }
    }
  }

  private resource(
    id: string,
    steps: readonly ResolvedStep[],
    i: number,
    ctx: EvalContext,
  ): { value: Value; used: number } {
    const set = this.env.resourceSet(id);
    if (!set) return { value: UNKNOWN, used: steps.length };
    return select(
      set,
      steps,
      i,
      ctx,
      (x) => x.key,
      (x) => x.value,
    );
  }

  private module(steps: readonly ResolvedStep[], ctx: EvalContext): { value: Value; used: number } {
    const name = steps[0]?.kind === "attr" ? steps[0].name : undefined;
    const set = name ? this.env.moduleSet(name) : undefined;
    if (!set) return { value: UNKNOWN, used: steps.length };
    if (set.list.length === 0) {
      // No instance (count = 0, an empty for_each) or a cycle (unknown).
      const none = set.kind === "count" ? [] : set.kind === "each" ? {} : UNKNOWN;
      return { value: steps.length === 1 ? none : UNKNOWN, used: steps.length };
    }
    const outputOf = (m: ModEnv, j: number): { value: Value; used: number } => {
      const out = steps[j]?.kind === "attr" ? (steps[j] as { name: string }).name : undefined;
      if (out) return { value: m.output(out, ctx.refs), used: j + 1 };
      return { value: m.outputsObject(ctx.refs), used: j };
    };
    if (set.kind === "single") return outputOf(set.list[0], 1);
    const next = steps[1];
    if (set.kind === "unknown") {
      if (next?.kind === "index") return outputOf(set.list[0], 2);
      if (next?.kind === "attr") return outputOf(set.list[0], 1);
      return { value: UNKNOWN, used: steps.length };
    }
    if (next?.kind === "index") {
      if (isUnknown(next.key)) return { value: next.key, used: steps.length };
      const m =
        set.kind === "count"
          ? typeof next.key === "number"
            ? set.list[next.key]
            : undefined
          : typeof next.key === "string"
            ? set.byKey.get(next.key)
            : undefined;
      return m ? outputOf(m, 2) : { value: UNKNOWN, used: steps.length };
    }
    // The whole list / map of module instances.
    if (set.kind === "count") return { value: set.list.map((m) => m.outputsObject(ctx.refs)), used: 1 };
    const o: Record<string, Value> = {};
    for (const [k, m] of set.byKey) o[k] = m.outputsObject(ctx.refs);
    return { value: o, used: 1 };
  }
}

/** Select resource instances by the step after the resource name (index-aware refs). */
function select<T>(
  set: { kind: string; list: T[]; byKey?: Map<string, T> },
  steps: readonly ResolvedStep[],
  i: number,
  ctx: EvalContext,
  keyOf: (t: T) => string,
  valueOf: (t: T) => Value,
): { value: Value; used: number } {
  const next = steps[i];
  if (set.kind === "unknown" && set.list.length === 0) return { value: UNKNOWN, used: steps.length }; // a cycle
  if (set.kind === "single") {
    ctx.refs.add(keyOf(set.list[0]));
    return { value: valueOf(set.list[0]), used: i };
  }
  if (set.kind === "unknown") {
    const rep = set.list[0];
    ctx.refs.add(keyOf(rep));
    if (next?.kind === "index") return { value: valueOf(rep), used: i + 1 };
    return { value: new Unknown(new Set([keyOf(rep)])), used: steps.length };
  }
  if (next?.kind === "index") {
    if (isUnknown(next.key)) {
      const keys = set.list.map(keyOf);
      for (const k of keys) ctx.refs.add(k);
      return { value: new Unknown(new Set(keys)), used: steps.length };
    }
    const t =
      set.kind === "count"
        ? typeof next.key === "number"
          ? set.list[next.key]
          : undefined
        : set.byKey!.get(String(next.key));
    if (!t) return { value: UNKNOWN, used: steps.length };
    ctx.refs.add(keyOf(t));
    return { value: valueOf(t), used: i + 1 };
  }
  for (const t of set.list) ctx.refs.add(keyOf(t));
  if (set.kind === "count") return { value: set.list.map(valueOf), used: i };
  const o: Record<string, Value> = {};
  for (const [k, t] of set.byKey!) o[k] = valueOf(t);
  return { value: o, used: i };
}

/** A block body the reader cannot read as Terraform would (refused with the resource's file:line). */
class ShapeError extends Error {}

/** Evaluate a resource instance's body once: the value tree and per-path references. */
function evaluateInstance(inst: Instance): Evaluated {
  if (inst.evaluated) return inst.evaluated;
  if (inst.evaluating) return { tree: {}, refs: new Map() }; // a reference cycle: its attributes are unknown
  inst.evaluating = true;
  try {
    const refs = new Map<string, Set<string>>();
    const tree = evalBody(inst.decl.body, inst.env, inst.meta, "", refs, true, new Map());
    inst.evaluated = { tree, refs };
    return inst.evaluated;
  } catch (e) {
    if (e instanceof ShapeError) {
      throw new GateError(`${where(inst.decl.file, inst.decl.line)}: ${declName(inst.decl)}: ${e.message}`);
    }
    throw e;
  } finally {
    inst.evaluating = false;
  }
}

/**
 * Evaluate a block body: attributes (templates evaluated, refs recorded at their path), nested blocks (lists
 * of bodies) and `dynamic` blocks (expanded when their for_each is known, else the block list is unknown).
 */
function evalBody(
  body: Json,
  env: ModEnv,
  meta: Meta,
  prefix: string,
  refs: Map<string, Set<string>>,
  top: boolean,
  iters: Map<string, Value>,
): Record<string, Value> {
  const out: Record<string, Value> = {};
  const at = (k: string) => (prefix ? `${prefix}.${k}` : k);
  for (const [k, raw] of Object.entries(body)) {
    if (k === "//" || k === "dynamic") continue;
    if (top && RESOURCE_META.has(k)) continue;
    out[k] = evalValue(raw, env, meta, at(k), refs, iters);
  }
  if ("dynamic" in body) {
    const dyn = body.dynamic;
    const parts = Array.isArray(dyn) ? dyn : [dyn];
    if (
      !parts.every(
        (x) =>
          isObject(x) &&
          Object.values(x).every((b) => bodies(b).length > 0 && (Array.isArray(b) ? b.every(isObject) : true)),
      )
    ) {
      throw new ShapeError("a dynamic block that is not a block");
    }
    for (const [name, spec] of labelled(body.dynamic)) {
      if (!("for_each" in spec) || (spec.content !== undefined && bodies(spec.content).length === 0)) {
        throw new ShapeError(`dynamic "${name}" without for_each or with a content that is not a block`);
      }
      const p = at(name);
      const ctx = mkCtx(env, meta, iters);
      const fe = env.evalRaw(spec.for_each, ctx);
      const existing = out[name];
      if (isUnknown(existing)) continue;
      if (isUnknown(fe) || fe instanceof InstanceValue || (fe !== null && typeof fe !== "object")) {
        out[name] = unknownOf(fe, ...[...ctx.refs].map((r) => new Unknown(new Set([r]))));
        addRefs(refs, p, ctx.refs);
        continue;
      }
      const iterName = stripIter(spec.iterator) ?? name;
      const list: Value[] = Array.isArray(existing) ? [...existing] : existing === undefined ? [] : [existing];
      const content = bodies(spec.content)[0] ?? {};
      const pairs: [Value, Value][] = Array.isArray(fe)
        ? fe.map((v, i) => [i, v])
        : fe === null
          ? []
          : Object.keys(fe)
              .sort()
              .map((key) => [key, (fe as Record<string, Value>)[key]]);
      if (pairs.some(([, v]) => isUnknown(v))) {
        out[name] = unknownOf(...pairs.map(([, v]) => v));
        continue;
      }
      for (const [key, value] of pairs) {
        const sub = new Map(iters);
        sub.set(iterName, { key, value });
        list.push(evalBody(content, env, meta, `${p}.${list.length}`, refs, false, sub));
      }
      out[name] = list;
    }
  }
  return out;
}

function mkCtx(env: ModEnv, meta: Meta, iters: Map<string, Value>): EvalContext {
  return { scope: env.scope(meta), refs: new Set(), iters, budget: { n: BUDGET } };
}

function addRefs(refs: Map<string, Set<string>>, p: string, keys: Iterable<string>): void {
  let set = refs.get(p);
  for (const k of keys) {
    if (!set) refs.set(p, (set = new Set()));
    set.add(k);
  }
}

function collectUnknownRefs(v: Value, out: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (v instanceof Unknown) for (const r of v.refs) out.add(r);
  else if (v instanceof InstanceValue) out.add(v.key);
  else if (Array.isArray(v)) v.forEach((x) => collectUnknownRefs(x, out, depth + 1));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => collectUnknownRefs(x, out, depth + 1));
}

function evalValue(
  raw: unknown,
  env: ModEnv,
  meta: Meta,
  p: string,
  refs: Map<string, Set<string>>,
  iters: Map<string, Value>,
): Value {
  if (typeof raw === "string") {
    if (!isTemplate(raw)) return raw;
    const ctx = mkCtx(env, meta, iters);
    const v = evaluate(parseValueString(raw), ctx);
    collectUnknownRefs(v, ctx.refs);
    addRefs(refs, p, ctx.refs);
    return v;
  }
  if (Array.isArray(raw)) {
    return raw.map((x, i) =>
      isObject(x)
        ? evalBody(x, env, meta, `${p}.${i}`, refs, false, iters)
        : evalValue(x, env, meta, `${p}.${i}`, refs, iters),
    );
  }
  if (isObject(raw)) {
    // An object attribute (tags = {…}) or a JSON-syntax block: keys may be expressions.
    const hasDynamic = "dynamic" in raw;
    if (hasDynamic) return evalBody(raw, env, meta, p, refs, false, iters);
    const o: Record<string, Value> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === "//") continue;
      let key = k;
      if (isTemplate(k)) {
        const ctx = mkCtx(env, meta, iters);
        const kv = evaluate(parseValueString(k), ctx);
        addRefs(refs, p, ctx.refs);
        if (typeof kv !== "string") return unknownOf(kv);
        key = kv;
      }
      o[key] = evalValue(v, env, meta, `${p}.${key}`, refs, iters);
    }
    return o;
  }
  return raw as Value;
}

/** The value tree → model values (unknown leaves null) + unknown paths. */
function toModel(tree: Record<string, Value>): { values: Json; unknown: string[] } {
  const unknown: string[] = [];
  const conv = (v: Value, p: string, depth: number): unknown => {
    if (v instanceof Unknown || v instanceof InstanceValue) {
      unknown.push(p);
      return null;
    }
    if (depth > 256) {
      unknown.push(p);
      return null;
    }
    if (Array.isArray(v)) return v.map((x, i) => conv(x, `${p}.${i}`, depth + 1));
    if (v && typeof v === "object") {
      const o: Json = {};
      for (const [k, x] of Object.entries(v)) o[k] = conv(x, `${p}.${k}`, depth + 1);
      return o;
    }
    return v;
  };
  const values: Json = {};
  for (const [k, v] of Object.entries(tree)) values[k] = conv(v, k, 0);
  return { values, unknown };
}

// ------------------------------------------------------------------------------------------------ module tree

const REMOTE_HINT =
  "the gate reads local modules only (./ or ../) and modules downloaded by `terraform init` " +
  "(.terraform/modules/modules.json); gate this configuration's plan instead (terraform show -json)";

/** Load every module configuration the tree calls (before evaluation; module configs are static). */
async function loadTree(
  cfg: ModuleConfig,
  st: LoadState,
  rootDir: string,
  ancestors: string[],
  keyPath: string[],
  installed: Map<string, string> | undefined,
): Promise<void> {
  for (const decl of cfg.modules.values()) {
    const src = decl.body.source;
    if (typeof src !== "string" || src === "" || isTemplate(src)) {
      throw new GateError(`${where(decl.file, decl.line)}: module "${decl.name}" has no literal source`);
    }
    let dir: string;
    const key = [...keyPath, decl.name].join(".");
    if (src.startsWith("./") || src.startsWith("../") || src === "." || src === "..") {
      dir = path.resolve(cfg.dir, src);
    } else if (installed?.has(key)) {
      dir = path.resolve(rootDir, installed.get(key)!);
    } else {
      throw new GateError(
        `${where(decl.file, decl.line)}: module "${decl.name}" has source "${src.slice(0, 200)}", which cannot be read: ${REMOTE_HINT}`,
      );
    }
    let real: string;
    try {
      real = fs.realpathSync(dir);
      if (!fs.statSync(real).isDirectory()) throw new Error("not a directory");
    } catch {
      throw new GateError(
        `${where(decl.file, decl.line)}: module "${decl.name}": source directory ${displayPath(dir, st.root)} not found`,
      );
    }
    if (/^\/(proc|sys|dev)(\/|$)/.test(real)) {
      throw new GateError(
        `${where(decl.file, decl.line)}: module "${decl.name}": source ${real} is not a module directory`,
      );
    }
    if (ancestors.includes(real)) {
      throw new GateError(`${where(decl.file, decl.line)}: module "${decl.name}" calls itself (source ${src})`);
    }
    if (ancestors.length >= 32) throw new GateError(`${where(decl.file, decl.line)}: modules nested more than 32 deep`);
    const child = await loadModule(real, st, false);
    CHILD_CONFIGS.set(decl, child);
    await loadTree(child, st, rootDir, [...ancestors, real], [...keyPath, decl.name], installed);
  }
}

function installedModules(rootDir: string, root: string): Map<string, string> | undefined {
  const file = path.join(rootDir, ".terraform", "modules", "modules.json");
  if (!fs.existsSync(file)) return undefined;
  const shown = displayPath(file, root);
  const text = readInputFile(file, { display: shown, what: "module manifest", kind: "hcl-file", within: rootDir });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateError(`${shown}${jsonErrorWhere(text, e as Error)}: not valid JSON (${(e as Error).message})`);
  }
  const map = new Map<string, string>();
  const mods = isObject(doc) && Array.isArray(doc.Modules) ? doc.Modules : [];
  for (const m of mods) {
    if (isObject(m) && typeof m.Key === "string" && typeof m.Dir === "string" && m.Key) map.set(m.Key, m.Dir);
  }
  return map;
}

// ------------------------------------------------------------------------------------------------ entry point

/** Normalize a Terraform root module directory (or one `.tf` file) and the local modules it calls. */
export async function normalizeHcl(dir: string, opts: HclOptions): Promise<HclResult> {
  const t0 = performance.now();
  const parse0 = parseMsTotal;
  const root = opts.root ?? process.cwd();
  if (!fs.existsSync(dir)) throw new GateError(`HCL directory not found: ${displayPath(dir, root)}`);
  const isFile = fs.statSync(dir).isFile();
  const rootDir = path.resolve(isFile ? path.dirname(dir) : dir);
  const stack = opts.stack ?? path.basename(rootDir);
  const st: LoadState = { totalBytes: 0, root };
  const cfg = await loadModule(path.resolve(dir), st, true);
  await loadTree(cfg, st, rootDir, [fs.realpathSync(rootDir)], [], installedModules(rootDir, root));
  const run: Run = {
    stack,
    root,
    rootDir,
    warnings: [],
    instances: 0,
    maxInstances: limitOf("hcl-instances"),
  };
  const rootEnv = new ModEnv(run, cfg, "", 0, [rootDir]);
  const resources: ResourceModel[] = [];
  const emit = (env: ModEnv): void => {
    for (const id of env.cfg.resources.keys()) {
      const set = env.resourceSet(id)!;
      for (const inst of set.list) resources.push(toResource(inst, run, opts));
    }
    for (const name of env.cfg.modules.keys()) {
      for (const child of env.moduleSet(name)!.list) emit(child);
    }
  };
  try {
    emit(rootEnv);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new GateError(`${displayPath(dir, root)}: configuration nested or chained too deeply to evaluate`);
    }
    throw e;
  }
  const seen = new Set<string>();
  for (const r of resources) {
    if (seen.has(r.key))
      throw new GateError(`${r.source.file}: duplicate resource ${r.address} in ${displayPath(dir, root)}`);
    seen.add(r.key);
  }
  return {
    resources,
    stack,
    files: cfg.files,
    warnings: run.warnings,
    timings: { parseMs: parseMsTotal - parse0, totalMs: performance.now() - t0 },
  };
}

function toResource(inst: Instance, run: Run, opts: HclOptions): ResourceModel {
  const ev = evaluateInstance(inst);
  const { values, unknown } = toModel(ev.tree);
  if (inst.existenceUnknown) unknown.push(inst.existenceUnknown);
  const refs: Record<string, string[]> = {};
  const scopeKey = inst.existenceScope !== undefined ? resourceKey(run.stack, inst.existenceScope) : undefined;
  for (const [p, keys] of ev.refs) {
    keys.delete(inst.key);
    let list = [...keys];
    if (inst.existenceUnknown) list = scopeKey === undefined ? [] : list.filter((k) => k.startsWith(scopeKey));
    if (list.length) refs[p] = list;
  }
  const decl = inst.decl;
  return configResource({
    stack: run.stack,
    mode: decl.kind === "data" ? "data" : "managed",
    type: decl.type,
    name: decl.name,
    address: inst.address,
    values,
    unknown,
    refs,
    source: { kind: "hcl", file: decl.file, ...(decl.line ? { line: decl.line } : {}) },
    tenant: opts.tenant,
    context: opts.context,
    providerSource: decl.providerSource,
  });
}
