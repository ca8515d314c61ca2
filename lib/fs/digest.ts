/**
 * The sha256 of the bytes an input reader actually read (the plan files the gate parsed), computed off the main
 * thread — WebCrypto's digest runs on libuv's thread pool while the reader parses — for the evidence record, which
 * thus names exactly what was gated (not a later re-read of the file) at no cost to the gate's critical path.
 */
import * as path from "node:path";
import { webcrypto } from "node:crypto";

const digests = new Map<string, Promise<string>>();

/** Start hashing `bytes` as the content read from `file` (the digest copies them; the caller may reuse them). */
export function rememberDigest(file: string, bytes: Uint8Array): void {
  const p = webcrypto.subtle.digest("SHA-256", bytes).then((d) => Buffer.from(d).toString("hex"));
  p.catch(() => undefined); // a failed digest is recomputed from the file by the caller
  digests.set(path.resolve(file), p);
}

/** The digest of what was read from `file` in this process, if it was read by an input reader. */
export function rememberedDigest(file: string): Promise<string> | undefined {
  return digests.get(path.resolve(file));
}
