/**
 * Instantiating the compiled policy (opa-wasm) — shared by the bundle loader (lib/gate/bundle.ts, after it has
 * verified the bytes) and the evaluation workers (lib/gate/eval-worker.ts), which get those verified bytes.
 */
import { loadPolicySync } from "@open-policy-agent/opa-wasm";

export type LoadedPolicy = ReturnType<typeof loadPolicySync>;

/**
 * Initial Wasm memory in 64 KiB pages (4 GiB − 64 KiB, the wasm32 limit). opa-wasm's allocator otherwise
 * grows the memory page by page during an evaluation, which made the first evaluation of a large input ~10×
 * slower (3k resources: 11–19 s vs 1.3–2 s; see scripts/bench). Untouched pages are address space, not RSS.
 */
export const WASM_INITIAL_PAGES = 65535;

/**
 * Instantiate the policy. Synchronously: opa-wasm's async `loadPolicy` tests its argument against the global
 * `Response`, which makes Node load its fetch implementation (undici) first — 30–50 ms per thread, more than the
 * whole synchronous compile of the module (~13 ms for the 0.8 MB policy).
 */
export async function loadWithHeadroom(wasm: Uint8Array): Promise<LoadedPolicy> {
  try {
    return loadPolicySync(wasm, { initial: WASM_INITIAL_PAGES });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return loadPolicySync(wasm); // the platform refused the reservation: grow on demand
  }
}
