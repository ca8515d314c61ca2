/**
 * The gate as a library call: inputs → normalized model → one policy evaluation → verdict.
 */
import * as path from "node:path";
import type { OffboardingInput, ResourceModel } from "./model";
import { loadBundle, type BundleOptions } from "./bundle";
import * as fs from "node:fs";
import {
  evalThreads,
  evaluateParallel,
  PARALLEL_PLAN_BYTES,
  planPolicyDocuments,
  startEvalWorkers,
  type EvalWorker,
} from "./parallel";
import { usePolicyFacts } from "./effective/apim-xml";
import { loadInputs, type InputSpec, type LoadedInputs } from "./normalize";
import { displayPath } from "./normalize/common";
import { computeVerdict, type Verdict } from "./verdict";
import { boundsFromData, loadWaivers, today as todayOf, type Waiver } from "./waivers";
import { checkSynthManifest } from "./synth-manifest";
import { pausePoint } from "../faults";

export interface GateOptions extends InputSpec {
  readonly bundle?: BundleOptions;
  /** Waiver file; default `<root>/waivers.yaml` (optional when defaulted). */
  readonly waivers?: string;
  readonly now?: Date;
  /** Declared offboardings (tenant id → declaration), for the plan-only lifecycle rules. */
  readonly offboarding?: Readonly<Record<string, OffboardingInput>>;
}

export interface GateRun {
  readonly verdict: Verdict;
  readonly inputs: LoadedInputs;
}

/** Evaluate already-normalized resources (used by the mutation tests and `gate`). */
export async function gateResources(
  resources: readonly ResourceModel[],
  complete: boolean,
  opts: {
    bundle?: BundleOptions;
    waivers?: readonly Waiver[];
    now?: Date;
    stacks?: LoadedInputs["stacks"];
    warnings?: string[];
    /** Resources a plan deletes outright (plan-only rules read them; they follow `resources`). */
    deleted?: readonly ResourceModel[];
    offboarding?: Readonly<Record<string, OffboardingInput>>;
    /** Evaluation workers started ahead (./parallel.ts); the caller closes them. */
    workers?: readonly EvalWorker[];
  } = {},
): Promise<Verdict> {
  const bundle = await loadBundle(opts.bundle);
  // One evaluation; groups of related resources on several threads for large inputs (./parallel.ts); chunks
  // of them, one after another, for very large ones (./chunked.ts).
  const raw = await evaluateParallel(
    bundle,
    resources,
    complete,
    { now: opts.now, deleted: opts.deleted, offboarding: opts.offboarding },
    { workers: opts.workers },
  );
  return computeVerdict({
    raw,
    resources: opts.deleted?.length ? [...resources, ...opts.deleted] : resources,
    complete,
    catalogue: bundle.catalogue,
    waivers: opts.waivers ?? [],
    stacks: opts.stacks ?? [],
    today: todayOf(opts.now),
    warnings: opts.warnings,
    bundle: { opaVersion: bundle.manifest.opaVersion, wasmSha256: bundle.manifest.wasmSha256 },
  });
}

export async function runGate(opts: GateOptions): Promise<GateRun> {
  const root = path.resolve(opts.root ?? process.cwd());
  // ZONEGATE_POLICY_DIST points the CLI at another compiled bundle (still verified against the sources).
  const envDist = process.env.ZONEGATE_POLICY_DIST;
  opts = { ...opts, bundle: { ...(envDist ? { dist: envDist } : {}), ...opts.bundle } };
  const bundle = await loadBundle({ root, ...opts.bundle });
  const waiverFile = opts.waivers ?? path.join(root, "waivers.yaml");
  const waivers = loadWaivers(waiverFile, {
    knownRules: new Set(bundle.catalogue.keys()),
    severities: new Map([...bundle.catalogue].map(([id, r]) => [id, r.severity])),
    bounds: boundsFromData(bundle.data),
    today: todayOf(opts.now),
    required: opts.waivers !== undefined,
    display: displayPath(waiverFile, root),
  });
  if (opts.synth) checkSynthManifest(opts.synth, root);
  // A large plan is evaluated on several threads: start the workers now, so that they load the policy while
  // this thread reads the plan.
  const threads = evalThreads();
  const planBytes = (opts.plans ?? []).reduce((n, f) => n + fileSize(f), 0);
  const workers =
    threads > 1 && planBytes >= PARALLEL_PLAN_BYTES.min && planBytes <= PARALLEL_PLAN_BYTES.max
      ? startEvalWorkers(bundle, threads - 1)
      : undefined;
  // While this thread normalizes a plan, the worker parses its API Management policy documents (the slowest part
  // of the effective stage, lib/gate/effective/apim-xml.ts) and sends their facts back for this thread too.
  let policyFacts: [string, unknown][] | undefined;
  const onPlanParsed = workers?.length
    ? (doc: unknown) => {
        const docs = planPolicyDocuments(doc);
        if (docs.length)
          workers[0].precomputePolicyFacts(docs).then(
            (f) => (policyFacts = f),
            () => undefined, // a worker failure is reported by its next evaluation
          );
      }
    : undefined;
  try {
    const inputs = await loadInputs({ ...opts, root, onPlanParsed });
    // Let the worker's answer in if it is there; not waited for (this thread parses what it lacks).
    if (onPlanParsed) await new Promise<void>((r) => setImmediate(r));
    if (policyFacts) usePolicyFacts(policyFacts);
    await pausePoint("evaluate");
    const verdict = await gateResources(inputs.resources, inputs.complete, {
      bundle: { root, ...opts.bundle },
      waivers,
      now: opts.now,
      stacks: inputs.stacks,
      warnings: inputs.warnings,
      deleted: inputs.deleted,
      offboarding: opts.offboarding,
      workers,
    });
    return { verdict, inputs };
  } finally {
    // Not awaited: the verdict does not wait for the threads to wind down.
    if (workers) for (const w of workers) void w.close();
  }
}

/** Size of a file in bytes; 0 when it cannot be read (the reader reports that). */
function fileSize(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}
