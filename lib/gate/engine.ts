/**
 * Building the policy input and evaluating it — one evaluation of `zonegate/gate/findings` for the whole
 * input. Anything unexpected from the policy is an evaluation error (exit 2, fail closed).
 */
import type { GateInput, RawFinding, ResourceModel } from "./model";
import type { Bundle } from "./bundle";
import { GateError } from "./errors";

export function buildGateInput(resources: readonly ResourceModel[], complete: boolean): GateInput {
  const byType: Record<string, number[]> = {};
  resources.forEach((r, i) => {
    (byType[r.type] ??= []).push(i);
  });
  return { resources, by_type: byType, complete };
}

const WASM_PAGE = 64 * 1024;
const WASM_MAX_PAGES = 65536;
/** Wasm heap per byte of input JSON observed on generated plans (≈60×), with margin. */
const HEAP_PER_INPUT_BYTE = 96;

/**
 * The input as the UTF-8 JSON opa-wasm would make of it (serialized once, handed over as an ArrayBuffer),
 * after growing the policy's Wasm memory in one step to fit the evaluation. Left alone, the Wasm allocator
 * grows the memory page by page, and that dominated the first evaluation of a large input (3k resources:
 * 11 s instead of 1.2 s; scripts/bench). Untouched pages cost address space, not RSS.
 */
export function encodeInput(bundle: Bundle, input: GateInput): ArrayBuffer {
  const bytes = new TextEncoder().encode(JSON.stringify(input));
  const mem = (bundle.policy as unknown as { mem?: WebAssembly.Memory }).mem;
  if (mem instanceof WebAssembly.Memory) {
    const want = Math.min(WASM_MAX_PAGES - 1, Math.ceil((bytes.byteLength * HEAP_PER_INPUT_BYTE + 64 * 1024 * 1024) / WASM_PAGE));
    const have = mem.buffer.byteLength / WASM_PAGE;
    if (want > have) {
      try {
        mem.grow(want - have);
      } catch {
        // no room for the headroom: the allocator still grows on demand
      }
    }
  }
  return bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

export function evaluate(bundle: Bundle, input: GateInput): RawFinding[] {
  let rs: unknown;
  try {
    rs = bundle.policy.evaluate(encodeInput(bundle, input), bundle.entrypoint);
  } catch (e) {
    throw new GateError(`policy evaluation failed: ${(e as Error).message}`);
  }
  if (!Array.isArray(rs) || rs.length === 0 || !rs[0] || typeof rs[0] !== "object" || !("result" in rs[0])) {
    throw new GateError(`policy evaluation returned no result for ${bundle.entrypoint} (undefined); refusing to pass`);
  }
  const result = (rs[0] as { result: unknown }).result;
  if (!Array.isArray(result)) throw new GateError(`policy evaluation: ${bundle.entrypoint} is not a set of findings`);
  const n = input.resources.length;
  return result.map((f, i) => {
    const x = f as Record<string, unknown>;
    if (
      !x ||
      typeof x.rule !== "string" ||
      !Number.isInteger(x.resource) ||
      (x.resource as number) < 0 ||
      (x.resource as number) >= n
    ) {
      throw new GateError(`policy evaluation: malformed finding #${i}: ${JSON.stringify(f).slice(0, 200)}`);
    }
    return {
      rule: x.rule,
      resource: x.resource as number,
      message: typeof x.message === "string" ? x.message : String(x.message ?? ""),
      ...(x.unknown === true ? { unknown: true } : {}),
    };
  });
}
