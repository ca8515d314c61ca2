/**
 * Helpers shared by the synth / plan / HCL normalizers: walking values, unknown-expression detection,
 * reference extraction and relative file paths.
 */
import * as path from "node:path";
import type { ResourceModel, SourceKind, StackContext, TenantContext } from "../model";

/** Meta-arguments that are not resource attributes; never passed to rules as values. */
export const META_ARGUMENTS = new Set([
  "depends_on",
  "provider",
  "lifecycle",
  "provisioner",
  "connection",
  "count",
  "for_each",
]);

/** True when a string holds an unresolved Terraform expression (`${…}`; `$${` is an escaped literal). */
export function isExpression(s: string): boolean {
  return /(^|[^$])\$\{/.test(s);
}

/** Terraform's non-resource reference roots (never resource references). */
const NON_RESOURCE_ROOTS = new Set(["var", "local", "module", "each", "count", "path", "terraform", "self"]);

/**
 * Resource references inside a Terraform expression string: `azurerm_key_vault.kv.id` → `azurerm_key_vault.kv`,
 * `data.azurerm_client_config.c.tenant_id` → `data.azurerm_client_config.c`. Remote-state references are
 * returned separately so the synth normalizer can resolve them through the producing stack's outputs.
 */
export interface ExtractedRefs {
  readonly resources: string[];
  readonly remoteState: { readonly name: string; readonly output: string }[];
}

const REF_RE =
  /(?<![A-Za-z0-9_.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\]]*\])?)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)/g;

export function extractRefs(expr: string): ExtractedRefs {
  const resources = new Set<string>();
  const remoteState: { name: string; output: string }[] = [];
  // Only look inside ${…} interpolations.
  for (const inner of interpolations(expr)) {
    for (const m of inner.matchAll(REF_RE)) {
      const [, data, type, name, , rest] = m;
      if (NON_RESOURCE_ROOTS.has(type)) continue;
      if (data && type === "terraform_remote_state") {
        const attrs = (rest ?? "").split(".").filter(Boolean);
        if (attrs[0] === "outputs" && attrs[1]) remoteState.push({ name, output: attrs[1] });
        else remoteState.push({ name, output: "" });
        continue;
      }
      resources.add(`${data ? "data." : ""}${type}.${name}`);
    }
  }
  return { resources: [...resources], remoteState };
}

/** The bodies of every `${…}` in a string, with nested braces balanced. */
export function interpolations(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const start = s.indexOf("${", i);
    if (start < 0) break;
    if (start > 0 && s[start - 1] === "$") {
      i = start + 2;
      continue;
    }
    let depth = 1;
    let j = start + 2;
    let quote = false;
    for (; j < s.length && depth > 0; j++) {
      const c = s[j];
      if (c === '"' && s[j - 1] !== "\\") quote = !quote;
      else if (!quote && c === "{") depth++;
      else if (!quote && c === "}") depth--;
    }
    out.push(s.slice(start + 2, depth === 0 ? j - 1 : j));
    i = j;
  }
  return out;
}

export interface WalkResult {
  values: Record<string, unknown>;
  unknown: string[];
  /** path → expression strings found there (for reference extraction). */
  expressions: Map<string, string[]>;
}

/**
 * Copy values, dropping `//` comment keys and meta-arguments, replacing `${…}` strings with null and
 * recording their dotted paths as unknown. Expressions nested inside a list/object are recorded under the
 * path of the leaf that holds them.
 */
export function walkValues(raw: Record<string, unknown>, opts: { dropMeta?: boolean } = {}): WalkResult {
  const unknown: string[] = [];
  const expressions = new Map<string, string[]>();
  const visit = (v: unknown, p: string): unknown => {
    if (typeof v === "string") {
      if (isExpression(v)) {
        unknown.push(p);
        const list = expressions.get(p) ?? [];
        list.push(v);
        expressions.set(p, list);
        return null;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, p ? `${p}.${i}` : String(i)));
    if (v && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === "//") continue;
        o[k] = visit(x, p ? `${p}.${k}` : k);
      }
      return o;
    }
    return v;
  };
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "//") continue;
    if (opts.dropMeta !== false && META_ARGUMENTS.has(k)) continue;
    values[k] = visit(v, k);
  }
  return { values, unknown, expressions };
}

/** Provider short name of a resource type (`azurerm_key_vault` → `azurerm`). */
export function providerOf(type: string): string {
  const i = type.indexOf("_");
  return i > 0 ? type.slice(0, i) : type;
}

/**
 * A provider source address normalized as Terraform does: `azurerm` → `registry.terraform.io/hashicorp/azurerm`,
 * `hashicorp/azurerm` → `registry.terraform.io/hashicorp/azurerm`, lower-cased (registry addresses are
 * case-insensitive). `terraform` (built in) → `terraform.io/builtin/terraform`.
 */
export function normalizeProviderSource(source: string): string {
  const s = source.trim().toLowerCase();
  const parts = s.split("/");
  if (parts.length === 1)
    return s === "terraform" ? "terraform.io/builtin/terraform" : `registry.terraform.io/hashicorp/${s}`;
  if (parts.length === 2) return `registry.terraform.io/${s}`;
  return s;
}

/** The provider local name a resource uses: its `provider` meta-argument (`evil.alias`, `${evil.alias}`) or its type's prefix. */
export function providerLocalName(type: string, providerArg: unknown): string {
  if (typeof providerArg === "string") {
    const m = /^(?:\$\{)?\s*([A-Za-z][A-Za-z0-9_-]*)/.exec(providerArg);
    if (m) return m[1];
  }
  return providerOf(type);
}

/** `required_providers` blocks (a list or one object, JSON or hcl2json shape) → local name → normalized source. */
export function requiredProviders(terraform: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" ? [v] : []);
  for (const t of list(terraform)) {
    for (const rp of list((t as Record<string, unknown>).required_providers)) {
      for (const [name, spec] of Object.entries(rp as Record<string, unknown>)) {
        if (name === "//") continue;
        const src = typeof spec === "string" ? undefined : (spec as Record<string, unknown> | null)?.source;
        out.set(name, normalizeProviderSource(typeof src === "string" && src ? src : name));
      }
    }
  }
  return out;
}

/** A resource's estate-wide key (`<stack>::<address>`); `refs` values are such keys. */
export function resourceKey(stack: string, address: string): string {
  return `${stack}::${address}`;
}

/**
 * A resource read from configuration (synth output or HCL) rather than a plan: its address, key, provider
 * and actions follow from mode/type/name (`create`, or `read` for data sources).
 */
export function configResource(r: {
  readonly stack: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** Full address (module path and instance key); default `[data.]<type>.<name>`. */
  readonly address?: string;
  readonly values: Record<string, unknown>;
  readonly unknown: string[];
  readonly refs: Record<string, string[]>;
  readonly source: { kind: SourceKind; file: string; constructPath?: string; line?: number };
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  /** The provider's normalized source address (see {@link normalizeProviderSource}). */
  readonly providerSource?: string;
}): ResourceModel {
  const address = r.address ?? (r.mode === "data" ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`);
  return {
    key: resourceKey(r.stack, address),
    address,
    type: r.type,
    name: r.name,
    provider: providerOf(r.type),
    ...(r.providerSource ? { providerSource: r.providerSource } : {}),
    mode: r.mode,
    actions: r.mode === "data" ? ["read"] : ["create"],
    values: r.values,
    unknown: r.unknown,
    refs: r.refs,
    source: r.source,
    stack: r.stack,
    tenant: r.tenant,
    ...(r.context ? { context: r.context } : {}),
  };
}

/** A path relative to `root` with forward slashes when inside it, else the path as given. */
export function displayPath(file: string, root: string = process.cwd()): string {
  const abs = path.resolve(file);
  const rel = path.relative(root, abs);
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
  return abs.split(path.sep).join("/");
}

/** 1-based line number of a character offset in text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Escape a string for use inside a RegExp. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `lineAt` for many offsets into the same text: newline offsets are indexed once, then each lookup is a
 * binary search (lineAt per resource is O(text) each, quadratic over a large plan).
 */
export function lineLocator(text: string): (offset: number) => number {
  let newlines: number[] | undefined;
  return (offset: number): number => {
    if (!newlines) {
      newlines = [];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines.push(i);
    }
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newlines[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
