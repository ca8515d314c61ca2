/**
 * The sha256 of the bytes an input reader actually read (the plan files and synthesized stack files the gate
 * parsed), computed off the main thread — WebCrypto's digest runs on libuv's thread pool while the reader parses —
 * for the evidence record and the reports' evidence stamp, which thus name exactly what was gated (not a later
 * re-read of the file) at no cost to the gate's critical path.
 */
import * as path from "node:path";
import { createHash, webcrypto } from "node:crypto";

const digests = new Map<string, Promise<string>>();
/** Digests computed so far (for synchronous readers, after {@link digestsSettled}). */
const settled = new Map<string, string>();

/**
 * Between these sizes the digest runs off the main thread. Below, hashing in place is cheaper than WebCrypto's
 * dispatch (~70 µs a call — a synthesized estate has thousands of small stack files); above, WebCrypto's copy of its
 * input would add to the peak memory of very large inputs (a 100k-resource plan is ~240 MB), so it is hashed in
 * place too.
 */
export const ASYNC_DIGEST_BYTES = { min: 1_000_000, max: 64_000_000 } as const;

/** Hash `bytes` as the content read from `file` (the caller may reuse them afterwards). */
export function rememberDigest(file: string, bytes: Uint8Array): void {
  const key = path.resolve(file);
  if (bytes.byteLength < ASYNC_DIGEST_BYTES.min || bytes.byteLength > ASYNC_DIGEST_BYTES.max) {
    rememberKnownDigest(file, createHash("sha256").update(bytes).digest("hex"));
    return;
  }
  const p = webcrypto.subtle.digest("SHA-256", bytes).then((d) => Buffer.from(d).toString("hex"));
  settled.delete(key);
  // Registered before any caller can wait on it, so `settled` is filled when digestsSettled() resolves.
  p.then(
    (hex) => {
      if (digests.get(key) === p) settled.set(key, hex);
    },
    () => undefined, // a failed digest is recomputed from the file by the caller
  );
  digests.set(key, p);
}

/**
 * The digest of `file`'s bytes, already known: hashed in place as they were read, or known without reading them
 * (its stat signature vouches that it holds the bytes hashed in an earlier run, lib/fs/stat-sig.ts — a reader that
 * reads it later checks its bytes against it).
 */
export function rememberKnownDigest(file: string, hex: string): void {
  const key = path.resolve(file);
  digests.set(key, Promise.resolve(hex));
  settled.set(key, hex);
}

/** Resolves when every digest started so far has been computed (or has failed). */
export async function digestsSettled(): Promise<void> {
  await Promise.allSettled([...digests.values()]);
}

/** The computed digest of what was last read from `file` in this process (see {@link digestsSettled}). */
export function settledDigest(file: string): string | undefined {
  return settled.get(path.resolve(file));
}

/** The digest of what was read from `file` in this process, if it was read by an input reader. */
export function rememberedDigest(file: string): Promise<string> | undefined {
  return digests.get(path.resolve(file));
}
