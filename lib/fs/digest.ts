/**
 * The sha256 of the bytes an input reader actually read (the plan files the gate parsed), computed off the main
 * thread — WebCrypto's digest runs on libuv's thread pool while the reader parses — for the evidence record, which
 * thus names exactly what was gated (not a later re-read of the file) at no cost to the gate's critical path.
 */
import * as path from "node:path";
import { createHash, webcrypto } from "node:crypto";

const digests = new Map<string, Promise<string>>();

/**
 * Up to this size the digest runs off the main thread; WebCrypto copies its input, so a larger file (a 100k-resource
 * plan is ~240 MB) is hashed here, in place, to keep the peak memory of very large inputs where it was.
 */
export const ASYNC_DIGEST_MAX_BYTES = 64_000_000;

/** Hash `bytes` as the content read from `file` (the caller may reuse them afterwards). */
export function rememberDigest(file: string, bytes: Uint8Array): void {
  const p =
    bytes.byteLength <= ASYNC_DIGEST_MAX_BYTES
      ? webcrypto.subtle.digest("SHA-256", bytes).then((d) => Buffer.from(d).toString("hex"))
      : Promise.resolve(createHash("sha256").update(bytes).digest("hex"));
  p.catch(() => undefined); // a failed digest is recomputed from the file by the caller
  digests.set(path.resolve(file), p);
}

/** The digest of what was read from `file` in this process, if it was read by an input reader. */
export function rememberedDigest(file: string): Promise<string> | undefined {
  return digests.get(path.resolve(file));
}
