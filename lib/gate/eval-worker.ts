/**
 * An evaluation worker (a `worker_threads` thread started by lib/gate/parallel.ts): instantiates the policy
 * from the bundle's verified Wasm bytes and data, then evaluates each serialized gate input it is sent and
 * posts back opa-wasm's result set (checked by the parent exactly as an in-thread evaluation is).
 *
 * Messages in: `{ id, input: ArrayBuffer }` (UTF-8 JSON of a GateInput). Out: `{ ready: true }` once loaded,
 * `{ id, rs }` or `{ id, error }` per input, `{ error }` when the policy cannot be loaded.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadWithHeadroom, type LoadedPolicy } from "./wasm-policy";

/** What the parent passes as `workerData`. */
export interface EvalWorkerData {
  readonly wasm: Uint8Array;
  readonly data: unknown;
  readonly entrypoint: string;
}

/** A request to the worker. */
export interface EvalRequest {
  readonly id: number;
  readonly input: ArrayBuffer;
}

/** A worker's answer: the result set of request `id`, or why there is none. */
export type EvalReply =
  | { readonly ready: true }
  | { readonly id: number; readonly rs: unknown }
  | { readonly id?: number; readonly error: string };

const port = parentPort;
if (port) {
  const { wasm, data, entrypoint } = workerData as EvalWorkerData;
  const loaded: Promise<LoadedPolicy> = loadWithHeadroom(wasm).then((p) => {
    p.setData(data as object);
    return p;
  });
  loaded.then(
    () => port.postMessage({ ready: true } satisfies EvalReply),
    (e: unknown) => port.postMessage({ error: `cannot load the policy: ${String((e as Error)?.message ?? e)}` }),
  );
  port.on("message", (req: EvalRequest) => {
    loaded.then(
      (policy) => {
        let reply: EvalReply;
        try {
          reply = { id: req.id, rs: policy.evaluate(req.input, entrypoint) };
        } catch (e) {
          // opa-wasm throws strings as well as Errors.
          reply = { id: req.id, error: String((e as Error)?.message ?? e) };
        }
        port.postMessage(reply);
      },
      () => undefined, // reported once above
    );
  });
}
