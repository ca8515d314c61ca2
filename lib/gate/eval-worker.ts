/**
 * An evaluation worker (a `worker_threads` thread started by lib/gate/parallel.ts): instantiates the policy
 * from the bundle's verified Wasm bytes and data, then, for each group of normalized resources it is sent,
 * builds the policy input exactly as the parent would (lib/gate/engine.ts `buildGateInput`, with the parent's
 * plan time) and posts back opa-wasm's result set, which the parent checks as it checks its own.
 *
 * Messages in: {@link EvalRequest}. Out: {@link EvalReply} — `{ id, rs }` or `{ id, error }` per request,
 * `{ error }` when the policy cannot be loaded.
 */
import { parentPort, workerData } from "node:worker_threads";
import { buildGateInput } from "./engine";
import { precomputePolicyFacts, type PolicyFacts } from "./effective/apim-xml";
import type { ResourceModel } from "./model";
import { loadWithHeadroom, type LoadedPolicy } from "./wasm-policy";

/** What the parent passes as `workerData`. */
export interface EvalWorkerData {
  readonly wasm: Uint8Array;
  readonly data: unknown;
  readonly entrypoint: string;
}

/**
 * A request: one group of resources (JSON of `ResourceModel[]`), evaluated as one input; or the API Management
 * policy documents of the input, whose facts the worker computes ahead (while the parent normalizes the input)
 * and sends back for the parent to use as well.
 */
export type EvalRequest =
  | {
      readonly id: number;
      readonly resources: string;
      readonly complete: boolean;
      /** Plan time (the parent's, so that every group sees the same). */
      readonly now: Date;
    }
  | { readonly id: number; readonly policyDocuments: readonly string[] };

/** A worker's answer: the result set (or policy facts) of request `id`, or why there is none. */
export type EvalReply =
  | { readonly id: number; readonly rs: unknown }
  | { readonly id: number; readonly policyFacts: [string, PolicyFacts][] }
  | { readonly id?: number; readonly error: string };

const message = (e: unknown) => String((e as Error)?.message ?? e); // opa-wasm throws strings as well as Errors

const port = parentPort;
if (port) {
  const { wasm, data, entrypoint } = workerData as EvalWorkerData;
  const loaded: Promise<LoadedPolicy> = loadWithHeadroom(wasm).then((p) => {
    p.setData(data as object);
    return p;
  });
  loaded.catch((e: unknown) =>
    port.postMessage({ error: `cannot load the policy: ${message(e)}` } satisfies EvalReply),
  );
  port.on("message", (req: EvalRequest) => {
    if ("policyDocuments" in req) {
      let reply: EvalReply;
      try {
        reply = { id: req.id, policyFacts: precomputePolicyFacts(req.policyDocuments) };
      } catch (e) {
        reply = { id: req.id, error: message(e) };
      }
      port.postMessage(reply);
      return;
    }
    loaded.then(
      (policy) => {
        let reply: EvalReply;
        try {
          const resources = JSON.parse(req.resources) as ResourceModel[];
          const input = buildGateInput(resources, req.complete, { now: req.now });
          reply = { id: req.id, rs: policy.evaluate(input, entrypoint) };
        } catch (e) {
          reply = { id: req.id, error: message(e) };
        }
        port.postMessage(reply);
      },
      () => undefined, // reported once above
    );
  });
}
