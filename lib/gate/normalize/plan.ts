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
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import { displayPath, lineLocator, providerOf, resourceKey } from "./common";

type Json = Record<string, unknown>;

export interface PlanOptions {
  /** Stack name for the plan's resources (default: the file's base name). */
  readonly stack?: string;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  readonly root?: string;
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

/** `x[…]` → `x` (as `.replace(/\[.*$/, "")`, whose `.` stops at a newline). */
function stripIndex(s: string): string {
  const i = s.indexOf("[");
  if (i < 0) return s;
  return s.includes("\n", i) ? s.replace(/\[.*$/, "") : s.slice(0, i);
}

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

/** `azurerm_x.y.attr` / `data.t.n.attr` / `azurerm_x.y[0]` → resource base address relative to its module. */
function computeReferenceTarget(ref: string): string | null {
  const parts = ref.split(".");
  if (NON_RESOURCE.has(stripIndex(parts[0]))) return null;
  if (parts[0] === "data") return parts.length >= 3 ? `data.${parts[1]}.${stripIndex(parts[2])}` : null;
  return parts.length >= 2 ? `${parts[0]}.${stripIndex(parts[1])}` : null;
}

/** attr path → module-relative referenced base addresses, from a configuration `expressions` object. */
function expressionRefs(expr: unknown, prefix = "", out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (Array.isArray(expr)) {
    for (let i = 0; i < expr.length; i++) expressionRefs(expr[i], prefix ? `${prefix}.${i}` : String(i), out);
  } else if (expr && typeof expr === "object") {
    const o = expr as Json;
    if ("references" in o || "constant_value" in o) {
      for (const ref of (o.references ?? []) as string[]) {
        const t = referenceTarget(ref);
        if (!t) continue;
        const set = out.get(prefix) ?? new Set<string>();
        set.add(t);
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

function fromResourceChanges(doc: Json, file: string): RawResource[] {
  const out: RawResource[] = [];
  const list = doc.resource_changes;
  if (!Array.isArray(list)) throw malformed(file, "resource_changes", "is not a list");
  list.forEach((rc: unknown, i) => {
    const where = `resource_changes[${i}]`;
    if (!isObject(rc)) throw malformed(file, where, "is not an object");
    if (!nonEmptyString(rc.address)) throw malformed(file, where, "has no address");
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
    const before =
      isObject(change.before) && actions.some((a) => a === "update" || a === "delete") ? change.before : undefined;
    if (actions.every((a) => SKIP_ACTIONS.has(a))) {
      if (actions.includes("delete") && rc.mode !== "data") {
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
    const mode = rc.mode === "data" ? "data" : "managed";
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
      const mode = r.mode === "data" ? "data" : "managed";
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

/** Normalize an already-parsed plan document. */
export function normalizePlanDoc(doc: unknown, file: string, opts: PlanOptions, text?: string): PlanResult {
  const root = opts.root ?? process.cwd();
  const shown = displayPath(file, root);
  assertPlan(doc, shown);
  const stack = opts.stack ?? planStackName(file);
  // `resource_changes` when the plan has it (null = omitted, as in format 0.1); else `planned_values`.
  const raws =
    doc.resource_changes !== undefined && doc.resource_changes !== null
      ? fromResourceChanges(doc, shown)
      : fromPlannedValues(doc, shown);
  const config = configResources(doc);
  const byBase = new Map<string, string[]>();
  for (const r of raws) {
    const b = baseAddress(r.address);
    const list = byBase.get(b);
    if (list) list.push(r.address);
    else byBase.set(b, [r.address]);
  }
  const lineOf = text ? addressLines(text) : undefined;
  const all: ResourceModel[] = raws.map((r) => {
    const prefix = modulePrefix(r.address);
    const refs: Record<string, string[]> = {};
    const cfg = config.get(baseAddress(r.address));
    if (cfg?.expressions) {
      for (const [p, targets] of expressionRefs(cfg.expressions)) {
        const keys = new Set<string>();
        for (const t of targets) {
          const abs = prefix + t;
          for (const a of byBase.get(abs) ?? [abs]) keys.add(resourceKey(stack, a));
        }
        if (keys.size) refs[p] = [...keys];
      }
    }
    const line = lineOf?.(r.address);
    return {
      key: resourceKey(stack, r.address),
      address: r.address,
      type: r.type,
      name: r.name,
      provider: shortProvider(r.providerName, r.type),
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
    resources: all.filter((_, i) => !raws[i].deleted),
    deleted: all.filter((_, i) => raws[i].deleted),
    formatVersion: String(doc.format_version),
    terraformVersion: doc.terraform_version as string | undefined,
    stack,
  };
}

/** Read and normalize a plan JSON file. */
export function normalizePlan(file: string, opts: PlanOptions): PlanResult {
  if (!fs.existsSync(file)) throw new GateError(`plan file not found: ${file}`);
  const text = fs.readFileSync(file, "utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateError(
      `${displayPath(file, opts.root)}: not JSON (${(e as Error).message}); pass the output of \`terraform show -json <planfile>\`, not the binary plan`,
    );
  }
  return normalizePlanDoc(doc, file, opts, text);
}
