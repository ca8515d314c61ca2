/**
 * Evaluation on several threads (lib/gate/parallel.ts): the findings are exactly those of one evaluation (the
 * groups are the chunker's, lib/gate/chunked.ts, tested there), and a worker that cannot evaluate fails the gate
 * closed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatePlan, BENCH_TENANT } from "../../scripts/bench/plan-gen";
import { loadBundle, type Bundle } from "../../lib/gate/bundle";
import { evaluateAll } from "../../lib/gate/chunked";
import { GateError } from "../../lib/gate/errors";
import { normalizePlanDoc } from "../../lib/gate/normalize";
import {
  evaluateParallel,
  PARALLEL_MIN_RESOURCES,
  planPolicyDocuments,
  startEvalWorkers,
} from "../../lib/gate/parallel";
import { policyFacts, usePolicyFacts } from "../../lib/gate/effective/apim-xml";
import type { RawFinding } from "../../lib/gate/model";
import { REPO } from "./helpers";

const key = (f: RawFinding) => `${f.resource}|${f.rule}|${f.message}|${f.unknown === true}`;

describe("parallel evaluation", () => {
  const g = generatePlan({ resources: 3000, seed: 11 });
  const { resources } = normalizePlanDoc(g.plan as never, "bench.json", { tenant: BENCH_TENANT });
  let bundle: Bundle;
  beforeAll(async () => {
    bundle = await loadBundle({ root: REPO });
  });

  test("findings on 2 and 3 threads = findings of one evaluation (generated 3k plan)", async () => {
    const single = evaluateAll(bundle, resources, false, Number.MAX_SAFE_INTEGER).map(key).sort();
    expect(single.length).toBeGreaterThan(50);
    for (const threads of [2, 3]) {
      const par = await evaluateParallel(bundle, resources, false, {}, { threads, minResources: 1 });
      expect(par.map(key).sort()).toEqual(single);
    }
  }, 120_000);

  test("outright deletes are judged after the split groups, with the indices one evaluation gives them", async () => {
    const file = path.join(REPO, "test", "fixtures", "plans", "lifecycle", "delete_audit_evidence.plan.json");
    const { deleted } = normalizePlanDoc(JSON.parse(fs.readFileSync(file, "utf8")), file, { tenant: BENCH_TENANT });
    expect(deleted.length).toBeGreaterThan(0);
    const single = evaluateAll(bundle, resources, false, Number.MAX_SAFE_INTEGER, { deleted }).map(key).sort();
    expect(single.some((k) => k.includes("|ZG-LC-001|"))).toBe(true);
    const par = await evaluateParallel(bundle, resources, false, { deleted }, { threads: 2, minResources: 1 });
    expect(par.map(key).sort()).toEqual(single);
    expect(evaluateAll(bundle, resources, false, 300, { deleted }).map(key).sort()).toEqual(single);
  }, 120_000);

  test("API Management policy facts computed ahead by a worker are the ones this thread computes", async () => {
    const docs = planPolicyDocuments(g.plan);
    expect(docs.length).toBeGreaterThan(10);
    const [worker] = startEvalWorkers(bundle, 1);
    try {
      const ahead = await worker.precomputePolicyFacts(docs);
      expect(ahead.map(([d]) => d)).toEqual(docs);
      for (const [d, f] of ahead) expect(f).toEqual(policyFacts(d));
      // Taken only when well-formed: anything else leaves the document to be parsed here.
      const [d0, f0] = ahead[0] as [string, { ok: boolean; sections?: Record<string, { controls: string[] }> }];
      const forged = f0.ok
        ? { ...f0, sections: { ...f0.sections, inbound: { ...f0.sections!.inbound, controls: ["anything"] } } }
        : { ok: true };
      expect(
        usePolicyFacts([
          [d0, forged],
          [d0, null],
          [42, f0],
          ["<x/>", { ok: false }],
        ]),
      ).toBe(0);
      expect(usePolicyFacts(ahead)).toBe(ahead.length);
    } finally {
      await worker.close();
    }
  }, 120_000);

  test("below the threshold, or on one thread, nothing is split (no worker is started)", async () => {
    expect(resources.length).toBeLessThan(PARALLEL_MIN_RESOURCES);
    // A bundle whose Wasm no worker could load: evaluating in this thread only still works.
    const broken = { ...bundle, wasm: new Uint8Array([0, 97, 115, 109]) } as Bundle;
    const single = evaluateAll(bundle, resources, false).map(key).sort();
    expect((await evaluateParallel(broken, resources, false)).map(key).sort()).toEqual(single);
    expect(
      (await evaluateParallel(broken, resources, false, {}, { threads: 1, minResources: 1 })).map(key).sort(),
    ).toEqual(single);
  }, 120_000);

  test("a worker that cannot load the policy is an evaluation error (exit 2), never a partial verdict", async () => {
    const broken = { ...bundle, wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]) } as Bundle;
    await expect(evaluateParallel(broken, resources, false, {}, { threads: 2, minResources: 1 })).rejects.toThrow(
      GateError,
    );
    await expect(evaluateParallel(broken, resources, false, {}, { threads: 2, minResources: 1 })).rejects.toThrow(
      /policy evaluation failed \(evaluation worker\): cannot load the policy/,
    );
  }, 60_000);

  test("a worker whose policy answers no findings set is an evaluation error", async () => {
    // The same verified Wasm, but an entrypoint name the worker's policy does not have.
    const wrong = { ...bundle, entrypoint: "zonegate/gate/no_such_entrypoint" } as Bundle;
    await expect(evaluateParallel(wrong, resources, false, {}, { threads: 2, minResources: 1 })).rejects.toThrow(
      GateError,
    );
  }, 60_000);
});
