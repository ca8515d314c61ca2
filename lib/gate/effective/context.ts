/**
 * What every merge of the effective stage shares: the resources by type / key / id / name, joins from a child
 * attribute to its parent (a reference in `refs`, else the parent's known `id` or `name`), and the output —
 * one `effective` object per resource index, holding only what some merge computed for it.
 */
import type { ResourceModel } from "../model";

export type Tri = "yes" | "no" | "unknown";
export type Effective = Record<string, unknown>;

const stripped = new Map<string, string>();

/** A dotted path without its list indexes (`a.0.b` → `a.b`), memoized (paths repeat across resources). */
function stripIdx(p: string): string {
  let v = stripped.get(p);
  if (v === undefined) {
    v = /(^|\.)\d+(\.|$)/.test(p)
      ? p
          .split(".")
          .filter((x) => !/^\d+$/.test(x))
          .join(".")
      : p;
    if (stripped.size > 50_000) stripped.clear();
    stripped.set(p, v);
  }
  return v;
}

const unknownCache = new WeakMap<readonly string[], string[]>();

export class EffectiveContext {
  readonly byType = new Map<string, number[]>();
  readonly byKey = new Map<string, number>();
  readonly out: (Effective | undefined)[];
  private readonly idIndex = new Map<string, Map<string, number[]>>();

  constructor(
    readonly resources: readonly ResourceModel[],
    readonly now: Date,
  ) {
    this.out = new Array<Effective | undefined>(resources.length);
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      let l = this.byType.get(r.type);
      if (!l) this.byType.set(r.type, (l = []));
      l.push(i);
      this.byKey.set(r.key, i);
    }
  }

  /** Indices of managed, not-deleted resources of a type. */
  of(type: string): number[] {
    return (this.byType.get(type) ?? []).filter((i) => managed(this.resources[i]));
  }

  /** Record a fact on resource i under effective[name]. */
  set(i: number, name: string, value: unknown): void {
    (this.out[i] ??= {})[name] = value;
  }

  /** Append to the list effective[name] of resource i. */
  push(i: number, name: string, value: unknown): void {
    const e = (this.out[i] ??= {});
    ((e[name] ??= []) as unknown[]).push(value);
  }

  /** Indices of resources of `types` that attribute `path` of r references. */
  refsTo(r: ResourceModel, path: string, types: readonly string[]): number[] {
    const want = stripIdx(path);
    const out = new Set<number>();
    for (const [p, keys] of Object.entries(r.refs)) {
      if (stripIdx(p) !== want) continue;
      for (const k of keys) {
        const j = this.byKey.get(k);
        if (j !== undefined && types.includes(this.resources[j].type)) out.add(j);
      }
    }
    return [...out];
  }

  /** Resources of `type` whose known `attr` (default `id`) equals value (case-insensitive). */
  byAttr(type: string, value: unknown, attr = "id"): number[] {
    if (typeof value !== "string" || value === "") return [];
    const k = `${type}\0${attr}`;
    let m = this.idIndex.get(k);
    if (!m) {
      m = new Map();
      for (const j of this.of(type)) {
        const v = this.resources[j].values[attr];
        if (typeof v === "string" && v !== "") {
          const l = m.get(v.toLowerCase()) ?? [];
          l.push(j);
          m.set(v.toLowerCase(), l);
        }
      }
      this.idIndex.set(k, m);
    }
    return m.get(value.toLowerCase()) ?? [];
  }

  /**
   * The parents of r of `type` that attribute `path` designates: by reference; else by the known value
   * matched against the parent's `parentAttr` (`id`, or `name` for name-valued attributes), preferring the
   * same stack.
   */
  parents(r: ResourceModel, path: string, type: string, parentAttr = "id"): number[] {
    const byRef = this.refsTo(r, path, [type]);
    if (byRef.length) return byRef;
    const v = get(r.values, path);
    const found = this.byAttr(type, v, parentAttr);
    const same = found.filter((j) => this.resources[j].stack === r.stack);
    return same.length ? same : found;
  }
}

export function managed(r: ResourceModel): boolean {
  return r.mode === "managed" && !(r.actions.length === 1 && r.actions[0] === "delete");
}

/** A dotted path read from values; a non-numeric segment on a list reads its first element. */
export function get(x: unknown, path: string): unknown {
  let cur = x;
  for (const s of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : (cur[0] as Record<string, unknown>)?.[s];
    else if (typeof cur === "object") cur = (cur as Record<string, unknown>)[s];
    else return undefined;
  }
  return cur;
}

/** Is `path` (or a parent of it) unknown until apply? */
export function isUnknown(r: ResourceModel, path: string): boolean {
  if (r.unknown.length === 0) return false;
  let us = unknownCache.get(r.unknown);
  if (!us) unknownCache.set(r.unknown, (us = r.unknown.map(stripIdx)));
  const p = stripIdx(path);
  for (const su of us) if (su === p || (p.startsWith(su) && p.charCodeAt(su.length) === 46)) return true;
  return false;
}

/** Blocks under a name: an object (synth) is one block, a list (plan/HCL) is its objects. */
export function blocks(values: unknown, name: string): Record<string, unknown>[] {
  const v = (values as Record<string, unknown> | null | undefined)?.[name];
  if (Array.isArray(v)) return v.filter((b): b is Record<string, unknown> => !!b && typeof b === "object");
  if (v && typeof v === "object") return [v as Record<string, unknown>];
  return [];
}

/** Tri-state of a string attribute compared case-insensitively with `want`. */
export function triEquals(r: ResourceModel, base: string, value: unknown, want: string, dflt?: string): Tri {
  if (typeof value === "string") return value.toLowerCase() === want.toLowerCase() ? "yes" : "no";
  if (isUnknown(r, base)) return "unknown";
  if (value === undefined || value === null) {
    return dflt === undefined ? "no" : dflt.toLowerCase() === want.toLowerCase() ? "yes" : "no";
  }
  return "no";
}

/** The first value of names that is known non-null. */
export function first(values: unknown, names: readonly string[]): unknown {
  for (const n of names) {
    const v = get(values, n);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** Strings of a string-or-list attribute (nulls dropped). */
export function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** An id-like attribute that is or will be set: known non-empty, unknown until apply, or a reference. */
export function present(r: ResourceModel, path: string): boolean {
  const v = get(r.values, path);
  if (v !== undefined && v !== null && v !== "") return true;
  if (isUnknown(r, path)) return true;
  const want = stripIdx(path);
  return Object.entries(r.refs).some(([p, ks]) => ks.length > 0 && stripIdx(p) === want);
}

/**
 * A whole block list that is unknown because the configuration computes it (synth/HCL: an expression or a
 * dynamic block), as opposed to a plan's Optional+Computed block (NSG `security_rule`, VNet `subnet`, Key Vault
 * `access_policy`, storage `network_rules`), which the provider fills from the separate child resources and
 * which is unknown at plan time whenever the configuration leaves it out.
 */
export function configuredUnknown(r: ResourceModel, path: string): boolean {
  return r.source.kind !== "plan" && isUnknown(r, path);
}
