/**
 * Terraform plan JSON (`terraform show -json <planfile>`, format_version 0.1–1.2) → ResourceModel[].
 *
 * - `resource_changes[]`: create/update/no-op/replace (`["delete","create"]`, `["create","delete"]`) and data
 *   `read` are the resources; outright deletes (`["delete"]`) go to `deleted` with their prior-state values
 *   (only plan-only lifecycle rules read them); updates, replaces and deletes carry `before` (`change.before`);
 * - `change.after` is the values, `change.after_unknown` (nested) becomes dotted `unknown` paths;
 * - child modules keep their full address (`module.a.module.b.type.name[0]`);
 * - `configuration` expressions' `references` become `refs` (module-relative → absolute keys);
 * - without `resource_changes` (format 0.1 from old Terraform) `planned_values` is used.
 *
 * A plan that cannot be read faithfully is refused (exit 2), never gated with fewer resources: a non-finite
 * number (`1e400` parses to Infinity), an entry whose address does not match its mode/type/name, a data source
 * that is not read (`mode: "data"` with create/update/delete) or whose type is not a data source of its
 * provider (a managed resource relabelled), duplicate addresses, and `resource_changes` that disagree with
 * `planned_values` (a change missing from the planned state or the other way round — e.g.
 * `resource_changes: []` beside resources in `planned_values` — or known values that differ).
 */
import * as path from "node:path";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import { displayPath, lineLocator, normalizeProviderSource, providerOf, resourceKey } from "./common";
import { jsonErrorWhere, nonFinitePath, readInputFile } from "./limits";

/** Deepest JSON nesting a plan may have (real plans stay far below; deeper values overflow the evaluators). */
export const MAX_PLAN_DEPTH = 200;
import DATA_SOURCE_TYPES from "./data-source-types.json";

type Json = Record<string, unknown>;

export interface PlanOptions {
  /** Stack name for the plan's resources (default: the file's base name). */
  readonly stack?: string;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  readonly root?: string;
  /** Size cap in bytes (default ZG_MAX_PLAN_BYTES or 512 MiB; see limits.ts). */
  readonly maxBytes?: number;
}

export interface PlanResult {
  readonly resources: ResourceModel[];
  /** Managed resources the plan deletes outright (`values` = `before` = their prior state). */
  readonly deleted: ResourceModel[];
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly stack: string;
}

/** Major.minor format versions this normalizer understands. */
export const SUPPORTED_PLAN_FORMATS = { min: [0, 1], max: [1, 2] } as const;

const SKIP_ACTIONS = new Set(["delete", "forget"]);

export function planStackName(file: string): string {
  return path
    .basename(file)
    .replace(/(\.plan)?\.json$/i, "")
    .replace(/\.tfplan$/i, "");
}

function parseVersion(v: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Check that a parsed document is a plan in a supported format; throws GateError otherwise. */
export function assertPlan(doc: unknown, file: string): asserts doc is Json {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new GateError(
      `${file}: not a Terraform plan (expected the JSON object from \`terraform show -json <planfile>\`)`,
    );
  }
  const d = doc as Json;
  if (typeof d.format_version !== "string") {
    throw new GateError(
      `${file}: not a Terraform plan (no format_version; produce it with \`terraform show -json <planfile>\`)`,
    );
  }
  const v = parseVersion(d.format_version);
  if (!v || cmp(v, SUPPORTED_PLAN_FORMATS.min) < 0 || cmp(v, SUPPORTED_PLAN_FORMATS.max) > 0) {
    throw new GateError(
      `${file}: unsupported plan format_version "${d.format_version}" (supported: 0.1–1.2); ` +
        `re-create it with a Terraform release that writes a supported format`,
    );
  }
  if (!("resource_changes" in d) && !("planned_values" in d)) {
    const hint = "values" in d ? " — this looks like a state file (`terraform show -json` without a plan file)" : "";
    throw new GateError(`${file}: not a Terraform plan: neither resource_changes nor planned_values${hint}`);
  }
}

/** Dotted paths of every `true` leaf in an `after_unknown` structure. */
export function unknownPaths(u: unknown, prefix = "", out: string[] = []): string[] {
  if (u === true) {
    if (prefix) out.push(prefix);
  } else if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) unknownPaths(u[i], prefix ? `${prefix}.${i}` : String(i), out);
  } else if (u && typeof u === "object") {
    const o = u as Json;
    for (const k of Object.keys(o)) unknownPaths(o[k], prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** Strip instance keys: `module.a["x"].module.b[0].t.n[1]` → `module.a.module.b.t.n`. */
export function baseAddress(address: string): string {
  if (!address.includes("[")) return address;
  return address.replace(/\[[^\]]*\]/g, "");
}

const MODULE_SEGMENT_RE = /module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?\./g;

/** `module.a[0].module.b["k"].` → { parent: "module.a[0].", name: "b", key: '["k"]' }; undefined for ``. */
function lastModuleSegment(prefix: string): { parent: string; name: string; key: string } | undefined {
  let last: RegExpExecArray | undefined;
  let at = 0;
  for (const m of prefix.matchAll(MODULE_SEGMENT_RE)) {
    if (m.index !== at) return undefined;
    last = m;
    at += m[0].length;
  }
  if (!last || at !== prefix.length) return undefined;
  return { parent: prefix.slice(0, last.index), name: last[1], key: last[2] ?? "" };
}

/** Module prefix of an address: everything up to the resource (`module.a.module.b.` or ``). */
function modulePrefix(address: string): string {
  if (!address.startsWith("module.")) return "";
  const parts = address.split(".");
  let i = 0;
  let prefix = "";
  while (parts[i] === "module" && i + 1 < parts.length) {
    prefix += `module.${parts[i + 1]}.`;
    i += 2;
  }
  return prefix;
}

interface ConfigResource {
  expressions?: Json;
}

/** Configuration resources by absolute base address (`module.a.module.b.type.name`). */
interface ModuleConfig {
  readonly calls: Record<string, Json>;
  readonly outputs: Record<string, Json>;
}

/** Module configurations (calls with their argument expressions, outputs) by base prefix (`` / `module.a.`). */
function moduleConfigs(doc: Json): Map<string, ModuleConfig> {
  const map = new Map<string, ModuleConfig>();
  const walk = (mod: Json | undefined, prefix: string, depth: number): void => {
    if (!mod || typeof mod !== "object" || depth > 64) return;
    const calls = (isObject(mod.module_calls) ? mod.module_calls : {}) as Record<string, Json>;
    map.set(prefix, { calls, outputs: (isObject(mod.outputs) ? mod.outputs : {}) as Record<string, Json> });
    for (const [name, call] of Object.entries(calls)) {
      if (isObject(call)) walk(call.module as Json | undefined, `${prefix}module.${name}.`, depth + 1);
    }
  };
  walk(((doc.configuration ?? {}) as Json).root_module as Json | undefined, "", 0);
  return map;
}

function configResources(doc: Json): Map<string, ConfigResource> {
  const map = new Map<string, ConfigResource>();
  const walk = (mod: Json | undefined, prefix: string): void => {
    if (!mod) return;
    for (const r of (mod.resources ?? []) as Json[]) {
      const addr = String(r.address ?? `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`);
      map.set(baseAddress(prefix + addr.replace(/^(module\.[^.]+\.)+/, "")), r as ConfigResource);
    }
    for (const [name, call] of Object.entries((mod.module_calls ?? {}) as Record<string, Json>)) {
      walk(call.module as Json | undefined, `${prefix}module.${name}.`);
    }
  };
  walk(((doc.configuration ?? {}) as Json).root_module as Json | undefined, "");
  return map;
}

const NON_RESOURCE = new Set(["var", "local", "module", "each", "count", "path", "terraform", "self"]);

/** referenceTarget results: the same reference strings recur across thousands of resources. */
const targetCache = new Map<string, string | null>();

function referenceTarget(ref: string): string | null {
  let t = targetCache.get(ref);
  if (t === undefined) {
    t = computeReferenceTarget(ref);
    if (targetCache.size > 100_000) targetCache.clear();
    targetCache.set(ref, t);
  }
  return t;
}

/** Markers in a target set: the expression uses `count.index` / `each.key` (an instance picked per instance). */
const BY_COUNT = "#count.index";
const BY_EACH = "#each.key";
/** `#var:<name>`: a module variable, followed to the module call's argument in the parent module. */
const BY_VAR = "#var:";
/** `#module:<name>\0<[key]>\0<output>`: a module output, followed to the output's expression in the child. */
const BY_MODULE = "#module:";
const MODULE_REF_RE =
  /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?/;

const REF_RE = /^(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?/;

/**
 * `azurerm_x.y.attr` / `data.t.n.attr` → the resource's address relative to its module (`azurerm_x.y`); a literal
 * instance key is kept (`azurerm_x.y[0].id` → `azurerm_x.y[0]`, `azurerm_x.y["k"]` → `azurerm_x.y["k"]`).
 */
function computeReferenceTarget(ref: string): string | null {
  const m = REF_RE.exec(ref);
  if (!m) return null;
  const [, data, type, name, index] = m;
  if (!data && NON_RESOURCE.has(type)) return null;
  return `${data ?? ""}${type}.${name}${index ?? ""}`;
}

/**
 * attr path → module-relative referenced addresses, from a configuration `expressions` object. Terraform lists
 * every prefix of a reference (`x.y[0].id`, `x.y[0]`, `x.y`): when an instance is named, the bare resource
 * (which would mean every instance) is dropped, so `x.y[0]` refers to instance 0 only.
 */
function expressionRefs(expr: unknown, prefix = "", out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (Array.isArray(expr)) {
    for (let i = 0; i < expr.length; i++) expressionRefs(expr[i], prefix ? `${prefix}.${i}` : String(i), out);
  } else if (expr && typeof expr === "object") {
    const o = expr as Json;
    if ("references" in o || "constant_value" in o) {
      const targets = new Set<string>();
      for (const ref of (o.references ?? []) as string[]) {
        if (typeof ref !== "string") continue;
        if (ref === "count.index") targets.add(BY_COUNT);
        else if (ref === "each.key") targets.add(BY_EACH);
        const v = /^var\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(ref);
        if (v) targets.add(`${BY_VAR}${v[1]}`);
        const m = MODULE_REF_RE.exec(ref);
        if (m) targets.add(`${BY_MODULE}${m[1]}\0${m[2] ?? ""}\0${m[3] ?? ""}`);
        const t = referenceTarget(ref);
        if (t) targets.add(t);
      }
      for (const t of targets) {
        const i = t.indexOf("[");
        if (i > 0) targets.delete(t.slice(0, i));
      }
      if ([...targets].some((t) => t !== BY_COUNT && t !== BY_EACH)) {
        // `module.m` whole is listed beside `module.m.out`: keep the most specific.
        for (const t of targets) {
          if (t.startsWith(BY_MODULE) && t.endsWith("\0")) {
            const stem = t.slice(0, t.length - 1);
            if ([...targets].some((x) => x !== t && x.startsWith(stem))) targets.delete(t);
          }
        }
        const set = out.get(prefix) ?? new Set<string>();
        for (const t of targets) set.add(t);
        out.set(prefix, set);
      }
      return out;
    }
    for (const k of Object.keys(o)) expressionRefs(o[k], prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

interface RawResource {
  address: string;
  type: string;
  name: string;
  mode: "managed" | "data";
  providerName?: string;
  actions: string[];
  values: Json;
  unknown: string[];
  before?: Json;
  deleted?: boolean;
}

function isObject(x: unknown): x is Json {
  return !!x && typeof x === "object" && !Array.isArray(x);
}

function nonEmptyString(x: unknown): x is string {
  return typeof x === "string" && x.length > 0;
}

/** A structurally broken plan can never pass: every malformed part is "could not decide" (exit 2). */
function malformed(file: string, where: string, what: string): GateError {
  return new GateError(
    `${file}: malformed plan: ${where} ${what}; pass the unmodified output of \`terraform show -json <planfile>\``,
  );
}

const DATA_TYPES: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(DATA_SOURCE_TYPES as Record<string, { types: string[] }>).map(([p, x]) => [p, new Set(x.types)]),
);

/** `module.a[0].data.t.n["k"]` → { data: true, type: "t", name: "n" } (module path and instance key dropped). */
function addressParts(address: string): { data: boolean; type: string; name: string } | null {
  const base = baseAddress(address);
  const rest = base.slice(modulePrefixBase(base).length);
  const parts = rest.split(".");
  if (parts[0] === "data" && parts.length === 3) return { data: true, type: parts[1], name: parts[2] };
  if (parts.length === 2) return { data: false, type: parts[0], name: parts[1] };
  return null;
}

function modulePrefixBase(base: string): string {
  const m = /^(module\.[^.]+\.)+/.exec(base);
  return m ? m[0] : "";
}

/**
 * The entry's mode (managed unless `"data"`), after checking it agrees with its address, type and name and,
 * for data sources, that it is read (not created/updated/deleted) and that its type is a data source type of
 * its provider when the gate knows that provider's data sources.
 */
function checkModeAndAddress(
  file: string,
  where: string,
  r: Json,
  actions: readonly string[] | undefined,
): "managed" | "data" {
  if (r.mode !== undefined && r.mode !== "managed" && r.mode !== "data") {
    throw malformed(file, where, `has mode ${JSON.stringify(r.mode).slice(0, 40)} (expected "managed" or "data")`);
  }
  const mode = r.mode === "data" ? "data" : "managed";
  const parts = addressParts(String(r.address));
  if (!parts) throw malformed(file, where, "has an address that is not a resource address");
  if (parts.data !== (mode === "data")) {
    throw malformed(
      file,
      where,
      `is mode "${mode}" but its address is ${parts.data ? "a data source's" : "a managed resource's"}`,
    );
  }
  if (parts.type !== r.type)
    throw malformed(file, where, `has type "${String(r.type)}" but its address names "${parts.type}"`);
  if (nonEmptyString(r.name) && parts.name !== r.name) {
    throw malformed(file, where, `has name "${r.name}" but its address names "${parts.name}"`);
  }
  if (mode === "data") {
    if (actions && !actions.every((a) => a === "read" || a === "no-op")) {
      throw malformed(
        file,
        where,
        `is a data source with actions ${JSON.stringify(actions)}; data sources are only read — a managed resource relabelled "data" is refused`,
      );
    }
    const known = DATA_TYPES[providerOf(String(r.type))];
    if (known && !known.has(String(r.type))) {
      throw malformed(
        file,
        where,
        `is mode "data" but ${String(r.type)} is not a data source of the ${providerOf(String(r.type))} provider (a managed resource relabelled "data")`,
      );
    }
  }
  return mode;
}

/** Refuse values nested deeper than {@link MAX_PLAN_DEPTH} (iterative: no recursion to overflow). */
function checkDepth(v: unknown, file: string, where: string): void {
  if (!v || typeof v !== "object") return;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > MAX_PLAN_DEPTH) {
      throw malformed(
        file,
        where,
        `is nested more than ${MAX_PLAN_DEPTH} levels deep (no Terraform plan nests that deep)`,
      );
    }
    if (Array.isArray(x)) {
      for (const y of x) if (y && typeof y === "object") stack.push([y, d + 1]);
    } else {
      for (const k in x as Json) {
        const y = (x as Json)[k];
        if (y && typeof y === "object") stack.push([y, d + 1]);
      }
    }
  }
}

function fromResourceChanges(doc: Json, file: string): RawResource[] {
  const out: RawResource[] = [];
  const list = doc.resource_changes;
  if (!Array.isArray(list)) throw malformed(file, "resource_changes", "is not a list");
  const seen = new Set<string>();
  list.forEach((rc: unknown, i) => {
    const where = `resource_changes[${i}]`;
    if (!isObject(rc)) throw malformed(file, where, "is not an object");
    if (!nonEmptyString(rc.address)) throw malformed(file, where, "has no address");
    if (seen.has(rc.address)) throw malformed(file, `${where} (${rc.address})`, "repeats an address listed before");
    seen.add(rc.address);
    if (!nonEmptyString(rc.type)) throw malformed(file, `${where} (${rc.address})`, "has no type");
    const change = rc.change;
    if (!isObject(change)) throw malformed(file, `${where} (${rc.address})`, "has no change object");
    const actions = change.actions;
    // Any non-empty list of action names; an action this version does not know is checked as live config.
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every(nonEmptyString)) {
      throw malformed(
        file,
        `${where} (${rc.address})`,
        `has invalid change.actions ${String(JSON.stringify(actions ?? null)).slice(0, 80)} (expected e.g. ["create"])`,
      );
    }
    const mode = checkModeAndAddress(file, `${where} (${rc.address})`, rc, actions);
    if (actions.includes("delete") && !isObject(change.before)) {
      // Terraform always records the prior state of what it updates or deletes: without it the lifecycle
      // rules (ZG-LC-001/002) could not see what is removed or weakened.
      throw malformed(
        file,
        `${where} (${rc.address})`,
        `is a ${actions.join("/")} without change.before (the prior state)`,
      );
    }
    const before =
      isObject(change.before) && actions.some((a) => a === "update" || a === "delete") ? change.before : undefined;
    if (actions.every((a) => SKIP_ACTIONS.has(a))) {
      if (actions.includes("delete") && mode === "managed") {
        out.push({
          address: rc.address,
          type: rc.type,
          name: nonEmptyString(rc.name) ? rc.name : (baseAddress(rc.address).split(".").pop() ?? rc.address),
          mode: "managed",
          providerName: rc.provider_name as string | undefined,
          actions: [...actions],
          values: before ?? {},
          unknown: [],
          before: before ?? {},
          deleted: true,
        });
      }
      return;
    }
    const after = change.after;
    if (!isObject(after)) {
      throw malformed(
        file,
        `${where} (${rc.address})`,
        `is a ${actions.join("/")} whose change.after is ${after === undefined ? "missing" : Array.isArray(after) ? "a list" : `not an object (${JSON.stringify(after)})`}`,
      );
    }
    checkDepth(after, file, `${where} (${rc.address}) change.after`);
    checkDepth(change.after_unknown, file, `${where} (${rc.address}) change.after_unknown`);
    out.push({
      address: rc.address,
      type: rc.type,
      name: nonEmptyString(rc.name) ? rc.name : (baseAddress(rc.address).split(".").pop() ?? rc.address),
      mode,
      providerName: rc.provider_name as string | undefined,
      actions: [...actions],
      values: after,
      unknown: unknownPaths(change.after_unknown),
      ...(before ? { before } : {}),
    });
  });
  return out;
}

function fromPlannedValues(doc: Json, file: string): RawResource[] {
  const out: RawResource[] = [];
  if (!isObject(doc.planned_values)) throw malformed(file, "planned_values", "is not an object");
  const walk = (mod: unknown, where: string): void => {
    if (mod === undefined) return;
    if (!isObject(mod)) throw malformed(file, where, "is not an object");
    const resources = mod.resources ?? [];
    if (!Array.isArray(resources)) throw malformed(file, `${where}.resources`, "is not a list");
    resources.forEach((r: unknown, i) => {
      const at = `${where}.resources[${i}]`;
      if (!isObject(r)) throw malformed(file, at, "is not an object");
      if (!nonEmptyString(r.address)) throw malformed(file, at, "has no address");
      if (!nonEmptyString(r.type)) throw malformed(file, `${at} (${r.address})`, "has no type");
      const values = r.values ?? {};
      if (!isObject(values)) throw malformed(file, `${at} (${r.address})`, "has values that are not an object");
      const mode = checkModeAndAddress(file, `${at} (${r.address})`, r, undefined);
      checkDepth(values, file, `${at} (${r.address}) values`);
      out.push({
        address: r.address,
        type: r.type,
        name: nonEmptyString(r.name) ? r.name : (baseAddress(r.address).split(".").pop() ?? r.address),
        mode,
        providerName: r.provider_name as string | undefined,
        actions: mode === "data" ? ["read"] : ["create"],
        values,
        unknown: [],
      });
    });
    const children = mod.child_modules ?? [];
    if (!Array.isArray(children)) throw malformed(file, `${where}.child_modules`, "is not a list");
    children.forEach((c: unknown, i) => walk(c, `${where}.child_modules[${i}]`));
  };
  walk(doc.planned_values.root_module, "planned_values.root_module");
  return out;
}

function shortProvider(providerName: string | undefined, type: string): string {
  if (!providerName) return providerOf(type);
  const i = providerName.lastIndexOf("/");
  const last = i < 0 ? providerName : providerName.slice(i + 1);
  return last || providerOf(type);
}

/**
 * Line of the first `"address": "<address>"` in the plan text, for every address at once: one scan of the
 * text instead of an indexOf + line count per resource (quadratic on large plans).
 */
function addressLines(text: string): (address: string) => number | undefined {
  const spaced = text.includes('"address": "');
  const re = spaced ? /"address": ("(?:[^"\\]|\\.)*")/g : /"address":("(?:[^"\\]|\\.)*")/g;
  let first: Map<string, number> | undefined;
  const lineAt = lineLocator(text);
  return (address: string) => {
    if (!first) {
      first = new Map();
      for (const m of text.matchAll(re)) if (!first.has(m[1])) first.set(m[1], m.index);
    }
    const i = first.get(JSON.stringify(address));
    return i === undefined ? undefined : lineAt(i);
  };
}

interface PlannedEntry {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly values: Json;
  readonly where: string;
}

/** planned_values resources by address (walked without recursion; duplicates refused). */
function plannedByAddress(doc: Json, file: string): Map<string, PlannedEntry> {
  const out = new Map<string, PlannedEntry>();
  const pv = doc.planned_values;
  if (!isObject(pv)) throw malformed(file, "planned_values", "is not an object");
  const stack: [unknown, string][] = [[pv.root_module, "planned_values.root_module"]];
  while (stack.length) {
    const [mod, where] = stack.pop()!;
    if (mod === undefined) continue;
    if (!isObject(mod)) throw malformed(file, where, "is not an object");
    const resources = mod.resources ?? [];
    if (!Array.isArray(resources)) throw malformed(file, `${where}.resources`, "is not a list");
    resources.forEach((r: unknown, i) => {
      const at = `${where}.resources[${i}]`;
      if (!isObject(r) || !nonEmptyString(r.address)) throw malformed(file, at, "is not a resource with an address");
      if (out.has(r.address)) throw malformed(file, at, `repeats the address ${r.address}`);
      const values = r.values ?? {};
      if (!isObject(values)) throw malformed(file, `${at} (${r.address})`, "has values that are not an object");
      out.set(r.address, { mode: r.mode === "data" ? "data" : "managed", type: String(r.type), values, where: at });
    });
    const children = mod.child_modules ?? [];
    if (!Array.isArray(children)) throw malformed(file, `${where}.child_modules`, "is not a list");
    children.forEach((c: unknown, i) => stack.push([c, `${where}.child_modules[${i}]`]));
  }
  return out;
}

/**
 * The first path where two value trees disagree on a known value (null and absent are the same; paths unknown
 * in `after_unknown` are skipped). Recursive, bounded by {@link MAX_PLAN_DEPTH}.
 */
function firstDifference(a: unknown, b: unknown, unknown: unknown): string | undefined {
  const segs = diff(a, b, unknown, 0);
  return segs ? segs.reverse().join(".") || "(values)" : undefined;
}

class TooDeep extends Error {}

function diff(x: unknown, y: unknown, u: unknown, depth: number): string[] | undefined {
  if (x === y || u === true) return undefined;
  const xNull = x === null || x === undefined;
  const yNull = y === null || y === undefined;
  if (xNull && yNull) return undefined;
  if (xNull || yNull) return [];
  if (depth > MAX_PLAN_DEPTH) throw new TooDeep();
  if (Array.isArray(x)) {
    if (!Array.isArray(y)) return [];
    const ua = Array.isArray(u) ? u : undefined;
    const n = Math.max(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const r = diff(x[i], y[i], ua?.[i], depth + 1);
      if (r) {
        r.push(String(i));
        return r;
      }
    }
    return undefined;
  }
  if (typeof x === "object") {
    if (!isObject(y) || Array.isArray(x)) return [];
    const xo = x as Json;
    const uo = isObject(u) ? u : undefined;
    for (const k in xo) {
      const r = diff(xo[k], y[k], uo?.[k], depth + 1);
      if (r) {
        r.push(k);
        return r;
      }
    }
    for (const k in y) {
      if (k in xo) continue;
      const r = diff(undefined, y[k], uo?.[k], depth + 1);
      if (r) {
        r.push(k);
        return r;
      }
    }
    return undefined;
  }
  return [];
}

/**
 * resource_changes and planned_values describe the same planned state: every change that is not a delete is in
 * planned_values with the same mode, type and known values, and every managed resource in planned_values has a
 * change. A forged plan that hides a resource from one of them is refused.
 */
function crossCheck(doc: Json, file: string): void {
  if (!Array.isArray(doc.resource_changes) || doc.planned_values === undefined || doc.planned_values === null) return;
  const planned = plannedByAddress(doc, file);
  const changed = new Set<string>();
  (doc.resource_changes as Json[]).forEach((rc, i) => {
    const addr = rc.address as string;
    const where = `resource_changes[${i}] (${addr})`;
    if (changed.has(addr)) throw malformed(file, where, "repeats an address listed before");
    changed.add(addr);
    const change = rc.change as Json;
    const actions = change.actions as string[];
    const live = !actions.every((a) => SKIP_ACTIONS.has(a));
    const pv = planned.get(addr);
    if (!live) {
      if (pv && pv.mode === "managed") {
        throw malformed(file, where, `is a ${actions.join("/")} but planned_values still holds it`);
      }
      return;
    }
    if (!pv) {
      // Data sources read during apply are not always in planned_values; managed resources always are.
      if (rc.mode === "data") return;
      throw malformed(file, where, `is a ${actions.join("/")} but planned_values has no resource ${addr}`);
    }
    const mode = rc.mode === "data" ? "data" : "managed";
    if (pv.mode !== mode || pv.type !== rc.type) {
      throw malformed(file, where, `disagrees with ${pv.where} on mode/type (${pv.mode} ${pv.type})`);
    }
    let at: string | undefined;
    try {
      at = firstDifference(change.after, pv.values, change.after_unknown);
    } catch (e) {
      if (e instanceof TooDeep) throw malformed(file, pv.where, `is nested more than ${MAX_PLAN_DEPTH} levels deep`);
      throw e;
    }
    if (at !== undefined) throw malformed(file, where, `change.after disagrees with ${pv.where}.values at ${at}`);
  });
  for (const [addr, pv] of planned) {
    if (pv.mode === "managed" && !changed.has(addr)) {
      throw malformed(
        file,
        pv.where,
        `(${addr}) is in planned_values but resource_changes has no entry for it (resource_changes ${
          (doc.resource_changes as unknown[]).length === 0 ? "is empty" : "omits it"
        })`,
      );
    }
  }
}

/** Normalize an already-parsed plan document. */
export function normalizePlanDoc(doc: unknown, file: string, opts: PlanOptions, text?: string): PlanResult {
  const root = opts.root ?? process.cwd();
  const shown = displayPath(file, root);
  assertPlan(doc, shown);
  const bad = nonFinitePath(doc, text);
  if (bad) {
    throw new GateError(
      `${shown}: ${bad}: number out of range (a non-finite value such as 1e400); refusing the plan — pass the unmodified output of \`terraform show -json <planfile>\``,
    );
  }
  const stack = opts.stack ?? planStackName(file);
  // `resource_changes` when the plan has it (null = omitted, as in format 0.1); else `planned_values`.
  const raws =
    doc.resource_changes !== undefined && doc.resource_changes !== null
      ? fromResourceChanges(doc, shown)
      : fromPlannedValues(doc, shown);
  crossCheck(doc, shown);
  const config = configResources(doc);
  const byBase = new Map<string, string[]>();
  for (const r of raws) {
    const b = baseAddress(r.address);
    const list = byBase.get(b);
    if (list) list.push(r.address);
    else byBase.set(b, [r.address]);
  }
  const addresses = new Set(raws.map((r) => r.address));
  const lineOf = text ? addressLines(text) : undefined;
  const modules = moduleConfigs(doc);
  // Every module instance prefix in the plan (`module.a[0].`, `module.a[0].module.b.`), for `module.a.out`.
  const instancePrefixes = new Set<string>();
  for (const a of addresses) {
    let p = "";
    for (const m of a.matchAll(MODULE_SEGMENT_RE)) {
      if (m.index !== p.length) break;
      p += m[0];
      instancePrefixes.add(p);
    }
  }
  /** Absolute addresses a target set refers to, from a resource (or module call) in module instance `prefix`. */
  const resolve = (
    targets: ReadonlySet<string>,
    prefix: string,
    ownKey: string | undefined,
    depth: number,
  ): Set<string> => {
    const out = new Set<string>();
    if (depth > 32) return out;
    // `x[count.index]` / `x[each.key]`: Terraform lists only `x` and `count.index` / `each.key`; the instance
    // with this resource's own key is taken (one instance, never all of them).
    const pick =
      ownKey &&
      ((targets.has(BY_COUNT) && /^\[\d+\]$/.test(ownKey)) || (targets.has(BY_EACH) && ownKey.startsWith('["')))
        ? ownKey
        : undefined;
    for (const t of targets) {
      if (t === BY_COUNT || t === BY_EACH) continue;
      if (t.startsWith(BY_VAR)) {
        // A module variable: the argument of this module instance's call, in the parent module instance.
        const seg = lastModuleSegment(prefix);
        if (!seg) continue;
        const call = modules.get(baseAddress(seg.parent))?.calls[seg.name];
        const arg = isObject(call?.expressions) ? (call!.expressions as Json)[t.slice(BY_VAR.length)] : undefined;
        if (arg === undefined) continue;
        const union = new Set<string>();
        for (const ts of expressionRefs(arg).values()) for (const x of ts) union.add(x);
        for (const a of resolve(union, seg.parent, seg.key || undefined, depth + 1)) out.add(a);
        continue;
      }
      if (t.startsWith(BY_MODULE)) {
        // A module output: the output's expression inside each referenced module instance.
        const [name, key, output] = t.slice(BY_MODULE.length).split("\0");
        const base = `${prefix}module.${name}`;
        const children = key
          ? [`${base}${key}.`]
          : [...instancePrefixes].filter(
              (p) => p === `${base}.` || (p.startsWith(`${base}[`) && lastModuleSegment(p)?.parent === prefix),
            );
        const outputs = modules.get(baseAddress(`${base}.`))?.outputs ?? {};
        for (const child of children) {
          for (const [oname, o] of Object.entries(outputs)) {
            if (output && oname !== output) continue;
            const union = new Set<string>();
            for (const ts of expressionRefs(isObject(o) ? o.expression : undefined).values())
              for (const x of ts) union.add(x);
            for (const a of resolve(union, child, undefined, depth + 1)) out.add(a);
          }
        }
        continue;
      }
      const abs = prefix + t;
      if (!t.includes("[") && pick) {
        const all = (byBase.get(baseAddress(abs)) ?? []).filter((a) => a.startsWith(prefix));
        if (all.length > 1 || (all.length === 1 && all[0] !== abs)) {
          if (addresses.has(abs + pick)) out.add(abs + pick);
          continue;
        }
      }
      if (t.includes("[")) {
        // A named instance: that instance only (none when it does not exist, e.g. count = 0).
        if (addresses.has(abs)) out.add(abs);
        continue;
      }
      // Every instance of the resource in this module instance (an index computed at apply time).
      const all = (byBase.get(baseAddress(abs)) ?? []).filter((a) => a.startsWith(prefix));
      for (const a of all.length ? all : [abs]) out.add(a);
    }
    return out;
  };
  const models: ResourceModel[] = raws.map((r) => {
    const prefix = modulePrefix(r.address);
    const refs: Record<string, string[]> = {};
    const cfg = config.get(baseAddress(r.address));
    if (cfg?.expressions) {
      const ownKey = /(\[[^\]]*\])$/.exec(r.address)?.[1];
      for (const [p, targets] of expressionRefs(cfg.expressions)) {
        const keys = [...resolve(targets, prefix, ownKey, 0)]
          .filter((a) => a !== r.address)
          .map((a) => resourceKey(stack, a));
        if (keys.length) refs[p] = keys;
      }
    }
    const line = lineOf?.(r.address);
    return {
      key: resourceKey(stack, r.address),
      address: r.address,
      type: r.type,
      name: r.name,
      provider: shortProvider(r.providerName, r.type),
      ...(r.providerName ? { providerSource: normalizeProviderSource(r.providerName) } : {}),
      mode: r.mode,
      actions: r.actions,
      values: r.values,
      unknown: r.unknown,
      refs,
      source: { kind: "plan", file: shown, ...(line ? { line } : {}) },
      stack,
      tenant: opts.tenant,
      ...(opts.context ? { context: opts.context } : {}),
      ...(r.before ? { before: r.before } : {}),
    };
  });
  return {
    resources: models.filter((_, i) => !raws[i].deleted),
    deleted: models.filter((_, i) => raws[i].deleted),
    formatVersion: String(doc.format_version),
    terraformVersion: doc.terraform_version as string | undefined,
    stack,
  };
}

/**
 * Read and normalize a plan JSON file. `onParsed` sees the parsed document before it is normalized (a hint for work
 * that can start early — lib/gate/gate.ts has a worker parse its API Management policies; it must not change it).
 */
export function normalizePlan(file: string, opts: PlanOptions, onParsed?: (doc: unknown) => void): PlanResult {
  const shown = displayPath(file, opts.root);
  const text = readInputFile(file, { display: shown, what: "plan file", kind: "plan", maxBytes: opts.maxBytes });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateError(
      `${shown}${jsonErrorWhere(text, e as Error)}: not JSON (${(e as Error).message}); pass the output of \`terraform show -json <planfile>\`, not the binary plan`,
    );
  }
  onParsed?.(doc);
  try {
    return normalizePlanDoc(doc, file, opts, text);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new GateError(`${shown}: plan nested too deeply to read (${e.message}); refusing it`);
    }
    throw e;
  }
}
