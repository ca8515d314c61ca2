/**
 * Test hooks for fault injection (test/hostile): never set in normal use.
 *
 * - `ZG_TEST_KILL_AT=<step>`: the process kills itself with SIGKILL when it reaches that step (a real
 *   `kill -9`: no handler, no cleanup), so a test can check what a crash at each step leaves behind.
 * - `ZG_TEST_FAIL_WRITE=<substring>`: every atomic write whose target path contains the substring fails with
 *   ENOSPC, the way a full disk would (used where a tiny tmpfs cannot be mounted).
 */

/** The steps of `zonegate run` a test may kill at, in order. */
export const KILL_STEPS = [
  "validate",
  "synth-built",
  "assemble",
  "manifest",
  "swap",
  "swapped",
  "gate",
  "reports-temp",
  "reports-rename",
] as const;
export type KillStep = (typeof KILL_STEPS)[number];

export function killPoint(step: KillStep): void {
  if (process.env.ZG_TEST_KILL_AT === step) process.kill(process.pid, "SIGKILL");
}

/** Throws ENOSPC when ZG_TEST_FAIL_WRITE names (part of) this path. */
export function injectedWriteFailure(file: string): void {
  const pat = process.env.ZG_TEST_FAIL_WRITE;
  if (pat && file.includes(pat)) {
    const e = new Error(`ENOSPC: no space left on device, write '${file}'`) as NodeJS.ErrnoException;
    e.code = "ENOSPC";
    throw e;
  }
}
