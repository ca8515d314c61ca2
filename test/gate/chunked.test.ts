/**
 * Chunked evaluation (lib/gate/chunked.ts) gives exactly the findings of one evaluation, and the relation
 * list it relies on covers every relation the rules follow.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatePlan, BENCH_TENANT } from "../../scripts/bench/plan-gen";
import { loadBundle } from "../../lib/gate/bundle";
import { evaluateAll, planChunks, STACK_LINKED_TYPES, SUBSCRIPTION_LINKED_TYPES } from "../../lib/gate/chunked";
import { normalizePlanDoc } from "../../lib/gate/normalize";
import { evaluateParallel } from "../../lib/gate/parallel";
import { normalizeSynth } from "../../lib/gate/normalize/synth";
import { loadTenants } from "../../lib/tenant/load";
import { synthEstate } from "../../stacks/app";
import { REPO, resourceModel } from "./helpers";

function ruleFiles(dir = path.join(REPO, "policies", "zonegate", "rules")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ruleFiles(p);
    return e.name.endsWith(".rego") && !e.name.endsWith("_test.rego") ? [p] : [];
  });
}

/**
 * String literals passed at argument `pos` of calls to `fn`, following one level of forwarding helpers (a call
 * that passes its own parameter on: `_points_to_ok(r, path, ok) if { some t in _targets(r, path) … }`).
 */
function literalArgs(text: string, fn: string, pos: number, depth = 0): string[] {
  const out: string[] = [];
  for (const c of text.matchAll(new RegExp(`\\b${fn}\\(([^()]*)\\)`, "g"))) {
    const arg = c[1].split(",").map((x) => x.trim())[pos];
    const lit = /^"([^"]+)"$/.exec(arg ?? "");
    if (lit) {
      out.push(lit[1]);
      continue;
    }
    const line = text.slice(text.lastIndexOf("\n", c.index) + 1, c.index);
    const lineStart = text.lastIndexOf("\n", c.index) + 1;
    // The enclosing rule's head (the last line starting at column 0 before the call).
    const head = [...text.slice(0, lineStart).matchAll(/^(\w+)\(([^)]*)\)/gm)].pop() ?? /^(\w+)\(([^)]*)\)/.exec(line);
    const p = head
      ? head[2]
          .split(",")
          .map((x) => x.trim())
          .indexOf(arg)
      : -1;
    if (head && p >= 0 && head[1] !== fn && depth < 2) out.push(...literalArgs(text, head[1], p, depth + 1));
  }
  return out;
}

describe("chunked evaluation", () => {
  test("every reference links (but to a resource group): a resource and what it references share a chunk", () => {
    const g = generatePlan({ resources: 3000, seed: 7 });
    const { resources } = normalizePlanDoc(g.plan as never, "bench.json", { tenant: BENCH_TENANT });
    const chunkOf = new Map<string, number>();
    const groups = new Set(resources.filter((r) => r.type === "azurerm_resource_group").map((r) => r.key));
    planChunks(resources, 300).forEach((c, n) => c.forEach((i) => chunkOf.set(resources[i].key, n)));
    let refs = 0;
    for (const r of resources)
      for (const keys of Object.values(r.refs))
        for (const k of keys)
          if (chunkOf.has(k) && !groups.has(k)) {
            refs++;
            expect(chunkOf.get(k)).toBe(chunkOf.get(r.key));
          }
    expect(refs).toBeGreaterThan(1000);
  });

  test("every attribute a rule follows (refs_to / points_to): by reference or by id, both resources share a chunk", () => {
    const followed = new Set<string>();
    for (const f of ruleFiles()) {
      const text = fs.readFileSync(f, "utf8");
      const consts = new Map([...text.matchAll(/^(\w+) := "([^"]+)"$/gm)].map((m) => [m[1], m[2]] as const));
      for (const m of text.matchAll(/zg\.(?:refs_to|points_to)\(\s*\w+\s*,\s*("([^"]+)"|(\w+))/g)) {
        const attr = m[2] ?? consts.get(m[3]);
        if (attr !== undefined) {
          followed.add(attr);
          continue;
        }
        // A helper's parameter (`_targets(r, path) := zg.refs_to(r, path) …`): the string literals its callers
        // pass at that position (`_points_to_ok(g, "firewall_policy_id", ok)` → `_targets(r, path)`).
        const line = text.slice(text.lastIndexOf("\n", m.index) + 1, m.index);
        const def = /^(\w+)\(([^)]*)\)/.exec(line);
        const pos = def
          ? def[2]
              .split(",")
              .map((x) => x.trim())
              .indexOf(m[3])
          : -1;
        expect(pos).toBeGreaterThanOrEqual(0);
        const literals = literalArgs(text, def![1], pos);
        expect(literals.length).toBeGreaterThan(0);
        for (const a of literals) followed.add(a);
      }
    }
    expect(followed.size).toBeGreaterThan(3);
    // The chunker relates through every reference and every id string, whatever the attribute: for each followed
    // attribute, a resource that references another through it, or carries the other's id there, shares its chunk.
    const model = (i: number, type: string, values: Record<string, unknown>, refs = {}) =>
      resourceModel(i, type, values, { refs, tenant: null });
    /** `a.b.c` → { a: [{ b: [{ c: v }] }] } (plan blocks are lists). */
    const nest = (path: string, v: unknown): Record<string, unknown> =>
      path
        .split(".")
        .reverse()
        .reduce<unknown>((acc, seg, i) => ({ [seg]: i === 0 ? acc : [acc] }), v) as Record<string, unknown>;
    for (const attr of followed) {
      const id = "/subscriptions/s1/resourceGroups/g1/providers/Microsoft.KeyVault/vaults/target";
      const target = model(0, "azurerm_key_vault", { id, name: "target" });
      const byId = model(1, "azurerm_private_endpoint", nest(attr, id));
      const byChild = model(2, "azurerm_monitor_diagnostic_setting", nest(attr, `${id}/keys/k1`));
      const byRef = model(3, "azurerm_role_assignment", nest(attr, null), { [attr]: [target.key] });
      const others = [4, 5, 6].map((i) => model(i, "azurerm_user_assigned_identity", { name: `u${i}` }));
      const all = [target, byId, byChild, byRef, ...others];
      const chunkOf = new Map<string, number>();
      planChunks(all, 1).forEach((c, n) => c.forEach((i) => chunkOf.set(all[i].key, n)));
      for (const r of [byId, byChild, byRef])
        expect([attr, r.type, chunkOf.get(r.key)]).toEqual([attr, r.type, chunkOf.get(target.key)]);
      for (const r of others)
        expect([attr, r.key, chunkOf.get(r.key)]).not.toEqual([attr, r.key, chunkOf.get(target.key)]);
    }
  });

  test("rules relating resources by stack only use the stack-linked types", () => {
    for (const f of ruleFiles()) {
      const text = fs.readFileSync(f, "utf8");
      if (!/\.stack\b|same_stack/.test(text)) continue;
      // The rule's METADATA resource_types: every one must be kept together per stack.
      const m = /^#\s+resource_types:\s*(\[.*\])\s*$/m.exec(text);
      expect(m).not.toBeNull();
      const types = JSON.parse(m![1]) as string[];
      expect(types.length).toBeGreaterThan(0);
      for (const t of types) expect(STACK_LINKED_TYPES.has(t)).toBe(true);
    }
  });

  test("rules relating resources by subscription (owner_env) only use the subscription-linked types", () => {
    let rules = 0;
    for (const f of ruleFiles()) {
      const text = fs.readFileSync(f, "utf8");
      if (!/owner_env|zg\.owner\(/.test(text)) continue;
      rules++;
      const m = /^#\s+resource_types:\s*(\[.*\])\s*$/m.exec(text);
      expect(m).not.toBeNull();
      const types = JSON.parse(m![1]) as string[];
      expect(types.filter((t) => !SUBSCRIPTION_LINKED_TYPES.has(t))).toEqual([]);
    }
    expect(rules).toBeGreaterThan(0);
  });

  test("findings in chunks = findings of one evaluation (generated 3k plan, chunks of 300)", async () => {
    const g = generatePlan({ resources: 3000, seed: 7 });
    const { resources } = normalizePlanDoc(g.plan as never, "bench.json", { tenant: BENCH_TENANT });
    const chunks = planChunks(resources, 300);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.flat().sort((a, b) => a - b)).toEqual(resources.map((_, i) => i));
    const bundle = await loadBundle({ root: REPO });
    const key = (f: { rule: string; resource: number; message: string }) => `${f.resource}|${f.rule}|${f.message}`;
    const single = evaluateAll(bundle, resources, false, Number.MAX_SAFE_INTEGER).map(key).sort();
    const chunked = evaluateAll(bundle, resources, false, 300).map(key).sort();
    expect(single.length).toBeGreaterThan(50);
    expect(chunked).toEqual(single);
  }, 120_000);

  test("findings in chunks and on two threads = findings of one evaluation (the example estate synthesized, chunks of 150)", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zg-chunked-"));
    try {
      synthEstate(loadTenants(path.join(REPO, "tenants")).tenants, tmp);
      const { resources, complete } = normalizeSynth(tmp, { root: REPO });
      // Break a subscription-scope control of one tenant env, so that rules relating whole subscriptions fire.
      const i = resources.findIndex((r) => r.type === "azurerm_security_center_subscription_pricing");
      const broken = resources.map((r, j) => (j === i ? { ...r, values: { ...r.values, tier: "Free" } } : r));
      const bundle = await loadBundle({ root: REPO });
      const key = (f: { rule: string; resource: number; message: string }) => `${f.resource}|${f.rule}|${f.message}`;
      for (const input of [resources, broken]) {
        const single = evaluateAll(bundle, input, complete, Number.MAX_SAFE_INTEGER).map(key).sort();
        expect(planChunks(input, 150).length).toBeGreaterThan(5);
        expect(evaluateAll(bundle, input, complete, 150).map(key).sort()).toEqual(single);
        // The same groups on two threads (lib/gate/parallel.ts): a worker builds its group's input itself.
        const par = await evaluateParallel(bundle, input, complete, {}, { threads: 2, minResources: 1 });
        expect(par.map(key).sort()).toEqual(single);
      }
      expect(evaluateAll(bundle, broken, complete, Number.MAX_SAFE_INTEGER).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
