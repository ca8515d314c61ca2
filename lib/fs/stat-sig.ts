/**
 * Knowing that a file still holds the bytes hashed earlier without reading it again, as git's index does: its inode,
 * size, mtime and ctime (nanoseconds) are exactly those recorded right after hashing it. Any write to a file changes
 * its ctime, which no user-space call can set back. A file whose ctime is within {@link RACY_NS} of when the records
 * were saved is "racy" (a write in the same clock tick would leave the ctime unchanged) and is read again.
 * Used by the synth cache (lib/synth-cache/verified.ts) and the incremental gate (lib/gate/incremental.ts).
 */
import type * as fs from "node:fs";

/** ctime this close (ns) to the save time: read again (far above any file-system timestamp granularity). */
export const RACY_NS = 2_000_000_000n;

/** `ino:size:mtimeNs:ctimeNs`. */
export function statSignature(st: fs.BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** True when a signature recorded before `savedNs` can stand for the content hashed with it (not racy). */
export function trustedSince(sig: string, savedNs: bigint): boolean {
  const ctime = sig.slice(sig.lastIndexOf(":") + 1);
  return /^\d+$/.test(ctime) && BigInt(ctime) + RACY_NS < savedNs;
}
