/**
 * Mutation tests: synthesize the example estate once, then for every mandatory rule apply each of its
 * catalogue `mutations` (see `Mutation` in lib/gate/catalogue.ts: one or several attributes, a `where`
 * selector, or an added resource) to the first matching resource of that type in the normalized model and
 * assert the gate reports that rule on that resource (or, for relational rules, on a resource it did not
 * report before). The unmodified estate must have zero mandatory findings, and every
 * mandatory rule must declare at least one mutation. Prints the kill rate.
 */
import * as path from "node:path";
import { loadTenants } from "../../lib/tenant/load";
import { synthEstate } from "../../stacks/app";
import { normalizeSynth } from "../../lib/gate/normalize";
import { loadBundle } from "../../lib/gate/bundle";
import { buildGateInput, evaluate } from "../../lib/gate/engine";
import { computeVerdict } from "../../lib/gate/verdict";
import { enforcementFor, everMandatory, type Mutation, type RuleMeta } from "../../lib/gate/catalogue";
import type { ResourceModel } from "../../lib/gate/model";
import { REPO, realBundleExists, tmpDir } from "./helpers";

const maybe = realBundleExists() ? describe : describe.skip;

const isIndex = (s: string) => /^\d+$/.test(s);

/** Normalize a mutation to its operations: paths to set (with values), to delete, to make unknown. */
export function operations(m: Mutation): { set: [string, unknown][]; delete: string[]; unknown: string[] } {
  const bad = (why: string) => new Error(`malformed mutation ${JSON.stringify(m)}: ${why}`);
  if (m.path !== undefined) {
    const ops = [m.set !== undefined, m.delete === true, m.unknown === true].filter(Boolean).length;
    if (ops !== 1) throw bad("with `path`, exactly one of set / delete: true / unknown: true");
    if (m.set !== undefined) return { set: [[m.path, m.set]], delete: [], unknown: [] };
    return m.delete ? { set: [], delete: [m.path], unknown: [] } : { set: [], delete: [], unknown: [m.path] };
  }
  if (m.set !== undefined && (m.set === null || typeof m.set !== "object" || Array.isArray(m.set)))
    throw bad("without `path`, `set` is an object { <path>: value }");
  for (const k of ["delete", "unknown"] as const)
    if (m[k] !== undefined && !(Array.isArray(m[k]) && (m[k] as unknown[]).every((x) => typeof x === "string")))
      throw bad(`without \`path\`, \`${k}\` is a list of paths`);
  const ops = {
    set: Object.entries((m.set ?? {}) as Record<string, unknown>),
    delete: [...((m.delete as string[] | undefined) ?? [])],
    unknown: [...((m.unknown as string[] | undefined) ?? [])],
  };
  if (ops.set.length + ops.delete.length + ops.unknown.length === 0 && !m.add) throw bad("changes nothing");
  return ops;
}

/**
 * The container holding the last segment of `path` in `values`, creating what is missing on the way: a numeric
 * segment creates a list, a non-numeric segment on a list addresses its first block (synth emits single blocks
 * as objects, plan/HCL as one-element lists).
 */
function parentOf(values: Record<string, unknown>, path: string): [Record<string, unknown> | unknown[], string] {
  const segs = path.split(".");
  let cur: unknown = values;
  const child = (container: Record<string, unknown> | unknown[], key: string, nextSeg: string): unknown => {
    const c = container as Record<string, unknown>;
    let next = c[key];
    if (next === undefined || next === null) next = c[key] = isIndex(nextSeg) ? [] : {};
    return next;
  };
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    if (Array.isArray(cur) && !isIndex(s)) cur = cur[0] ?? (cur[0] = {});
    cur = child(cur as Record<string, unknown>, s, segs[i + 1]);
  }
  const last = segs[segs.length - 1];
  if (Array.isArray(cur) && !isIndex(last)) cur = cur[0] ?? (cur[0] = {});
  return [cur as Record<string, unknown> | unknown[], last];
}

/**
 * Apply a mutation's set/delete/unknown operations to a deep copy of a resource. A path starting with `@`
 * sets a field of the resource itself (plan-only rules: `@actions`, `@before`), not of its values.
 */
export function mutate(r: ResourceModel, m: Mutation): ResourceModel {
  const values = structuredClone(r.values) as Record<string, unknown>;
  const all = operations(m);
  const root = Object.fromEntries(all.set.filter(([p]) => p.startsWith("@")).map(([p, v]) => [p.slice(1), v]));
  const ops = { ...all, set: all.set.filter(([p]) => !p.startsWith("@")) };
  const touched = [...ops.set.map(([p]) => p), ...ops.delete, ...ops.unknown];
  const touches = (p: string) => touched.some((t) => p === t || p.startsWith(`${t}.`));
  for (const p of ops.delete) {
    const [c, k] = parentOf(values, p);
    if (Array.isArray(c)) c.splice(Number(k), 1);
    else delete c[k];
  }
  for (const p of ops.unknown) {
    const [c, k] = parentOf(values, p);
    (c as Record<string, unknown>)[k] = null;
  }
  for (const [p, v] of ops.set) {
    const [c, k] = parentOf(values, p);
    (c as Record<string, unknown>)[k] = structuredClone(v);
  }
  const unknown = [...r.unknown.filter((p) => !touches(p)), ...ops.unknown];
  const refs = Object.fromEntries(Object.entries(r.refs).filter(([p]) => !touches(p)));
  return { ...r, ...structuredClone(root), values, unknown, refs };
}

/** Read a dotted path from any value (lists by index; a non-numeric segment on a list reads its first element). */
function read(x: unknown, path: string): unknown {
  let cur = x;
  for (const s of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && !isIndex(s)) cur = cur[0];
    cur = (cur as Record<string, unknown> | undefined)?.[s];
  }
  return cur;
}

/** Does the resource match a mutation's `where` selector (paths from the resource model root)? */
export function matches(r: ResourceModel, where: Mutation["where"]): boolean {
  return Object.entries(where ?? {}).every(([p, want]) => {
    const got = read(r, p);
    if (Array.isArray(got) && !Array.isArray(want)) return got.some((g) => JSON.stringify(g) === JSON.stringify(want));
    return JSON.stringify(got) === JSON.stringify(want);
  });
}

/** A new managed resource of `m.type` with `m.add` values, in the stack (and tenant context) of `anchor`. */
export function added(anchor: ResourceModel, m: Mutation): ResourceModel {
  const name = "zg_mutation_added";
  const address = `${m.type}.${name}`;
  return {
    key: `${anchor.stack}::${address}`,
    address,
    type: m.type,
    name,
    provider: m.type.split("_")[0],
    mode: "managed",
    actions: ["create"],
    values: structuredClone(m.add ?? {}) as Record<string, unknown>,
    unknown: [],
    refs: {},
    source: { kind: anchor.source.kind, file: anchor.source.file },
    stack: anchor.stack,
    tenant: anchor.tenant,
    ...(anchor.context ? { context: anchor.context } : {}),
  };
}

/** A short, stable description of a mutation for the report. */
export function describeMutation(m: Mutation): string {
  const { type, ...rest } = m;
  if (m.path !== undefined && m.where === undefined && m.add === undefined)
    return `${type}.${m.path} ${m.delete ? "delete" : m.unknown ? "unknown" : `set ${JSON.stringify(m.set)}`}`;
  return `${type} ${JSON.stringify(rest)}`;
}

maybe("mutation tests over the example estate", () => {
  let resources: ResourceModel[];
  let rules: RuleMeta[];
  let bundle: Awaited<ReturnType<typeof loadBundle>>;

  beforeAll(async () => {
    const { tenants, problems } = loadTenants(path.join(REPO, "tenants"));
    expect(problems.filter((p) => p.severity !== "warning")).toEqual([]);
    const out = tmpDir("zg-estate-");
    synthEstate(tenants, out);
    const s = normalizeSynth(out, { root: out });
    expect(s.complete).toBe(true);
    resources = s.resources;
    bundle = await loadBundle({ root: REPO });
    rules = [...bundle.catalogue.values()].filter((r) => everMandatory(r.enforcement));
  }, 600_000);

  test("the unmodified estate has zero mandatory findings", () => {
    const raw = evaluate(bundle, buildGateInput(resources, true));
    const v = computeVerdict({
      raw,
      resources,
      complete: true,
      catalogue: bundle.catalogue,
      waivers: [],
      stacks: [],
      today: "2000-01-01",
    });
    expect(v.findings.filter((f) => f.status === "violation").map((f) => `${f.rule} ${f.key}: ${f.message}`)).toEqual(
      [],
    );
  });

  test("every mandatory rule declares a mutation", () => {
    expect(rules.filter((r) => !r.mutations || r.mutations.length === 0).map((r) => r.id)).toEqual([]);
  });

  test("every mutation is killed by its rule", () => {
    const baseline = new Set(evaluate(bundle, buildGateInput(resources, true)).map((f) => `${f.rule}\0${f.resource}`));
    const killed: string[] = [];
    const survived: string[] = [];
    const noTarget: string[] = [];
    for (const rule of rules) {
      const ruleTypes = new Set(rule.resource_types ?? []);
      const keysOfRuleTypes = new Set(resources.filter((r) => ruleTypes.has(r.type)).map((r) => r.key));
      /** A resource the rule can see: of its types, or linked to one (relational rules, e.g. private endpoints). */
      const relevant = (r: ResourceModel) =>
        ruleTypes.size === 0 ||
        ruleTypes.has(r.type) ||
        Object.values(r.refs).some((ks) => ks.some((k) => keysOfRuleTypes.has(k))) ||
        resources.some((o) => ruleTypes.has(o.type) && Object.values(o.refs).some((ks) => ks.includes(r.key)));
      for (const m of rule.mutations ?? []) {
        const label = `${rule.id} ${describeMutation(m)}`;
        // The first resource of the type (matching `where`), preferring ones the rule can see and where it
        // is mandatory; for `add`, the new resource goes into the stack of the first resource matching `where`.
        const mandatoryHere = (r: ResourceModel) =>
          enforcementFor(rule.enforcement, r.tenant?.env ?? r.context?.env) === "mandatory";
        const candidates = resources
          .map((r, j) => [r, j] as const)
          .filter(([r]) => (m.add ? true : r.type === m.type) && r.mode === "managed" && matches(r, m.where));
        const pick =
          candidates.find(([r]) => !m.add && relevant(r) && mandatoryHere(r)) ??
          candidates.find(([r]) => !m.add && relevant(r)) ??
          candidates.find(([r]) => mandatoryHere(r)) ??
          candidates[0];
        if (!pick) {
          noTarget.push(label);
          continue;
        }
        const mutated = [...resources];
        let i: number;
        if (m.add) {
          i = mutated.length;
          mutated.push(mutate(added(pick[0], m), m));
        } else {
          i = pick[1];
          mutated[i] = mutate(resources[i], m);
        }
        const target = mutated[i];
        const raw = evaluate(bundle, buildGateInput(mutated, true));
        // Killed: the rule reports the mutated resource, or (relational rules) a resource it did not report before.
        const direct = raw.some((f) => f.rule === rule.id && f.resource === i);
        const fresh = raw.some((f) => f.rule === rule.id && !baseline.has(`${f.rule}\0${f.resource}`));
        if (direct || fresh) killed.push(label);
        else survived.push(`${label} on ${target.key}`);
      }
    }
    const total = killed.length + survived.length;
    console.log(
      `mutation kill rate: ${killed.length}/${total} (${total ? ((100 * killed.length) / total).toFixed(1) : "0"}%)` +
        (noTarget.length ? `\n  no resource of the type in the estate (not applied): ${noTarget.join("; ")}` : "") +
        survived.map((x) => `\n  SURVIVED ${x}`).join(""),
    );
    expect(survived).toEqual([]);
    expect(noTarget).toEqual([]);
  });
});
