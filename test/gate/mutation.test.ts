/**
 * Mutation tests: synthesize the example estate once, then for every mandatory rule apply each of its
 * catalogue `mutations` to the first resource of that type in the normalized model and assert the gate
 * reports that rule on that resource. The unmodified estate must have zero mandatory findings, and every
 * mandatory rule must declare at least one mutation. Prints the kill rate.
 */
import * as path from "node:path";
import { appModule, loadTenants } from "../../lib/gate/integrations";
import { normalizeSynth } from "../../lib/gate/normalize";
import { loadBundle } from "../../lib/gate/bundle";
import { buildGateInput, evaluate } from "../../lib/gate/engine";
import { computeVerdict } from "../../lib/gate/verdict";
import { enforcementFor, everMandatory, type Mutation, type RuleMeta } from "../../lib/gate/catalogue";
import type { ResourceModel } from "../../lib/gate/model";
import { REPO, realBundleExists, tmpDir } from "./helpers";

const maybe = realBundleExists() ? describe : describe.skip;

/** Apply a mutation to a deep copy of a resource. Blocks may be objects (synth) or lists of objects. */
export function mutate(r: ResourceModel, m: Mutation): ResourceModel {
  const values = structuredClone(r.values) as Record<string, unknown>;
  const segs = m.path.split(".");
  let cur: unknown = values;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    let next: unknown;
    if (Array.isArray(cur)) {
      const idx = /^\d+$/.test(s) ? Number(s) : 0;
      if (!/^\d+$/.test(s)) {
        // a non-numeric segment on a list addresses the first block's attribute
        cur = cur[0] ?? (cur[0] = {});
        next = (cur as Record<string, unknown>)[s];
        if (next === undefined || next === null) next = (cur as Record<string, unknown>)[s] = {};
      } else {
        next = cur[idx] ?? (cur[idx] = {});
      }
    } else {
      const o = cur as Record<string, unknown>;
      next = o[s];
      if (next === undefined || next === null) next = o[s] = {};
    }
    cur = next;
  }
  const last = segs[segs.length - 1];
  const target = (Array.isArray(cur) && !/^\d+$/.test(last) ? (cur[0] ?? (cur[0] = {})) : cur) as Record<
    string,
    unknown
  >;
  let unknown = [...r.unknown];
  let refs = { ...r.refs };
  const touches = (p: string) => p === m.path || p.startsWith(`${m.path}.`);
  if (m.delete) {
    delete target[last];
    unknown = unknown.filter((p) => !touches(p));
    refs = Object.fromEntries(Object.entries(refs).filter(([p]) => !touches(p)));
  } else if (m.unknown) {
    target[last] = null;
    unknown = [...unknown.filter((p) => !touches(p)), m.path];
    refs = Object.fromEntries(Object.entries(refs).filter(([p]) => !touches(p)));
  } else {
    target[last] = structuredClone(m.set);
    unknown = unknown.filter((p) => !touches(p));
    refs = Object.fromEntries(Object.entries(refs).filter(([p]) => !touches(p)));
  }
  return { ...r, values, unknown, refs };
}

maybe("mutation tests over the example estate", () => {
  let resources: ResourceModel[];
  let rules: RuleMeta[];
  let bundle: Awaited<ReturnType<typeof loadBundle>>;

  beforeAll(async () => {
    const { tenants, problems } = await loadTenants(path.join(REPO, "tenants"));
    expect(problems.filter((p) => p.severity !== "warning")).toEqual([]);
    const out = tmpDir("zg-estate-");
    await appModule().synthEstate(tenants, out);
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
        const label = `${rule.id} ${m.type}.${m.path} ${m.delete ? "delete" : m.unknown ? "unknown" : `set ${JSON.stringify(m.set)}`}`;
        // First resource of the type, preferring ones the rule can see and where it is mandatory.
        const mandatoryHere = (r: ResourceModel) =>
          enforcementFor(rule.enforcement, r.tenant?.env ?? r.context?.env) === "mandatory";
        const ofType = resources
          .map((r, j) => [r, j] as const)
          .filter(([r]) => r.type === m.type && r.mode === "managed");
        const pick =
          ofType.find(([r]) => relevant(r) && mandatoryHere(r)) ??
          ofType.find(([r]) => relevant(r)) ??
          ofType.find(([r]) => mandatoryHere(r)) ??
          ofType[0];
        const i = pick ? pick[1] : -1;
        if (i < 0) {
          noTarget.push(label);
          continue;
        }
        const mutated = [...resources];
        mutated[i] = mutate(resources[i], m);
        const raw = evaluate(bundle, buildGateInput(mutated, true));
        // Killed: the rule reports the mutated resource, or (relational rules) a resource it did not report before.
        const direct = raw.some((f) => f.rule === rule.id && f.resource === i);
        const fresh = raw.some((f) => f.rule === rule.id && !baseline.has(`${f.rule}\0${f.resource}`));
        if (direct || fresh) killed.push(label);
        else survived.push(`${label} on ${resources[i].key}`);
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
