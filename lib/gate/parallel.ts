/**
 * Evaluating a large input on more than one core. The Wasm evaluation is single-threaded and, on a
 * 15k-resource plan, about as long as reading and normalizing the plan; so an input of at least
 * {@link PARALLEL_MIN_RESOURCES} resources (and at most one chunk, lib/gate/chunked.ts) is split into groups of
 * whole components — the same soundness contract as chunking: resources a rule or the effective stage may
 * relate are always in one group (the chunker's groups, smaller) — and the groups are shared out between this
 * thread and evaluation workers (lib/gate/eval-worker.ts) that instantiate the same verified Wasm bytes and
 * data and build their groups' policy input themselves (the effective stage included), with this thread's
 * plan time.
 *
 * Fail closed: a worker that cannot load the policy, throws, answers malformed findings or exits before it
 * answers is an evaluation error (exit 2), exactly like the in-thread evaluation. Findings are mapped back to
 * input indexes; the verdict sorts them, so the output does not depend on the split.
 *
 * Threads: `ZG_EVAL_THREADS` (1 = never split), else 2 when the machine has two or more cores.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Bundle } from "./bundle";
import { chunkSize, evaluateAll, evaluateDeleted, planChunks } from "./chunked";
import type { EffectiveOptions } from "./effective";
import { buildGateInput, checkResultSet, evaluate, type GateInputExtras } from "./engine";
import type { EvalReply, EvalRequest, EvalWorkerData } from "./eval-worker";
import { GateError } from "./errors";
import type { RawFinding, ResourceModel } from "./model";

/** Smallest input worth a second thread (below it, starting a worker costs more than it saves). */
export const PARALLEL_MIN_RESOURCES = 4000;

/** Evaluation threads for one input (this one included). */
export function evalThreads(): number {
  const n = Number(process.env.ZG_EVAL_THREADS);
  if (Number.isInteger(n) && n >= 1) return n;
  return os.availableParallelism() >= 2 ? 2 : 1;
}

/** The worker script: the compiled one beside this file, or (running from the TypeScript sources) the .ts one. */
function workerScript(): { file: string; execArgv?: string[] } {
  const js = path.join(__dirname, "eval-worker.js");
  if (fs.existsSync(js)) return { file: js };
  // From the sources (tests, tsx): the worker needs the same TypeScript loader.
  return { file: path.join(__dirname, "eval-worker.ts"), execArgv: ["--require", require.resolve("tsx/cjs")] };
}

/** One evaluation worker (lib/gate/eval-worker.ts); any failure rejects what is outstanding. */
export class EvalWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (rs: unknown) => void; reject: (e: GateError) => void }>();
  private failure: GateError | undefined;
  private nextId = 0;

  constructor(bundle: Bundle) {
    const { file, execArgv } = workerScript();
    const workerData: EvalWorkerData = { wasm: bundle.wasm, data: bundle.data, entrypoint: bundle.entrypoint };
    this.worker = new Worker(file, { workerData, ...(execArgv ? { execArgv } : {}) });
    this.worker.on("message", (m: EvalReply) => {
      const w = m.id === undefined ? undefined : this.waiting.get(m.id);
      if (m.id !== undefined) this.waiting.delete(m.id);
      if ("error" in m) {
        const e = new GateError(`policy evaluation failed (evaluation worker): ${m.error}`);
        if (w) w.reject(e);
        else this.fail(e);
      } else w?.resolve("policyFacts" in m ? m.policyFacts : m.rs);
    });
    this.worker.on("error", (e) => this.fail(new GateError(`policy evaluation worker failed: ${e.message}`)));
    this.worker.on("exit", (code) =>
      this.fail(new GateError(`policy evaluation worker exited (code ${code}) before it answered`)),
    );
  }

  private fail(e: GateError): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  private request(req: EvalRequest): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(req.id, { resolve, reject });
      this.worker.postMessage(req);
    });
  }

  /** opa-wasm's result set for one group of resources, evaluated as one input. */
  evaluate(resources: readonly ResourceModel[], complete: boolean, now: Date): Promise<unknown> {
    return this.request({ id: this.nextId++, resources: JSON.stringify(resources), complete, now });
  }

  /**
   * Have the worker compute the facts of these API Management policy documents now (and keep them for its
   * evaluation); resolves with them, for this thread to use too (lib/gate/effective/apim-xml.ts usePolicyFacts).
   */
  precomputePolicyFacts(docs: readonly string[]): Promise<[string, unknown][]> {
    return this.request({ id: this.nextId++, policyDocuments: docs }) as Promise<[string, unknown][]>;
  }

  /** Stop the worker (what it was asked and has not answered is dropped); never rejects. */
  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate().catch(() => undefined);
  }
}

/**
 * Plan files (in all) for which runGate starts the workers before reading them: from ~3.5k generated resources to
 * about one chunk (~25k); past that the evaluation is sequential and idle workers would only add memory.
 */
export const PARALLEL_PLAN_BYTES = { min: 8_000_000, max: 64_000_000 } as const;

/**
 * Start `n` evaluation workers ahead of the input (they load the policy while the input is read); the caller
 * closes them. runGate does so for plan inputs of {@link PARALLEL_PLAN_BYTES}.
 */
export function startEvalWorkers(bundle: Bundle, n: number): EvalWorker[] {
  return Array.from({ length: Math.max(0, n) }, () => new EvalWorker(bundle));
}

/**
 * The API Management policy documents of a parsed plan (`xml_content` of the planned changes) — what the effective
 * stage parses during the evaluation (lib/gate/effective/apim-xml.ts), to be parsed ahead by a worker.
 */
export function planPolicyDocuments(doc: unknown): string[] {
  const changes = (doc as { resource_changes?: unknown } | null)?.resource_changes;
  const docs = new Set<string>();
  if (!Array.isArray(changes)) return [];
  for (const rc of changes) {
    const x = (rc as { change?: { after?: { xml_content?: unknown } } } | null)?.change?.after?.xml_content;
    if (typeof x === "string" && x.trim() !== "") docs.add(x);
  }
  return [...docs];
}

/** Groups per thread: small enough to balance uneven costs (APIM policies parse XML), large enough to amortize. */
const GROUPS_PER_THREAD = 8;

/**
 * Evaluate the whole input: split across threads when it is large enough (see the top of this file),
 * otherwise exactly as {@link evaluateAll} (one evaluation, or sequential chunks past {@link chunkSize}).
 * The input is cut into groups of whole components (about {@link GROUPS_PER_THREAD} per thread), largest first;
 * each worker keeps two groups queued and takes the next from the front as it answers, this thread takes
 * groups from the back, so both stay busy whatever the groups cost.
 * `split.workers`: workers started ahead (the caller closes them); otherwise they are started and closed here.
 */
export async function evaluateParallel(
  bundle: Bundle,
  resources: readonly ResourceModel[],
  complete: boolean,
  opts: EffectiveOptions & GateInputExtras = {},
  split: { threads?: number; minResources?: number; workers?: readonly EvalWorker[] } = {},
): Promise<RawFinding[]> {
  const n = resources.length;
  const threads = split.workers ? split.workers.length + 1 : (split.threads ?? evalThreads());
  // Past one chunk the input is evaluated chunk by chunk to bound memory; a second thread would double it.
  if (threads < 2 || n < (split.minResources ?? PARALLEL_MIN_RESOURCES) || n > chunkSize())
    return evaluateAll(bundle, resources, complete, undefined, opts);
  const groups = planChunks(resources, Math.ceil(n / (threads * GROUPS_PER_THREAD))).sort(
    (a, b) => b.length - a.length,
  );
  if (groups.length < 2) return evaluateAll(bundle, resources, complete, undefined, opts);
  const { deleted, offboarding, ...rest } = opts;
  // One plan time for every group (as one evaluation has).
  const effective = { ...rest, now: rest.now ?? new Date() };
  const workers = split.workers ?? startEvalWorkers(bundle, threads - 1);
  const out: RawFinding[] = [];
  const add = (group: readonly number[], fs: readonly RawFinding[]) => {
    for (const f of fs) out.push({ ...f, resource: group[f.resource] });
  };
  let front = 0; // the workers' next group
  let back = groups.length - 1; // this thread's next group
  let failure: unknown;
  const inflight = new Set<Promise<void>>();
  const feed = (w: EvalWorker): void => {
    if (front > back || failure !== undefined) return;
    const group = groups[front++];
    const p: Promise<void> = w
      .evaluate(
        group.map((i) => resources[i]),
        complete,
        effective.now,
      )
      .then((rs) => {
        add(group, checkResultSet(rs, bundle.entrypoint, group.length));
        inflight.delete(p);
        feed(w);
      });
    p.catch((e: unknown) => (failure ??= e)); // rethrown below
    inflight.add(p);
  };
  try {
    for (const w of workers) {
      feed(w);
      feed(w);
    }
    while (front <= back && failure === undefined) {
      const group = groups[back--];
      add(
        group,
        evaluate(
          bundle,
          buildGateInput(
            group.map((i) => resources[i]),
            complete,
            effective,
          ),
        ),
      );
      // Let the workers' answers in (each answer queues the worker's next group).
      await new Promise<void>((r) => setImmediate(r));
    }
    while (inflight.size > 0 && failure === undefined) await Promise.race(inflight);
    if (failure !== undefined) throw failure;
    for (const f of evaluateDeleted(bundle, n, complete, { deleted, offboarding })) out.push(f);
    return out;
  } finally {
    if (!split.workers) await Promise.allSettled(workers.map((w) => w.close()));
  }
}
