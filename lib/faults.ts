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

/**
 * `ZG_TEST_FAULT=<kind>`: a process-level fault at the start of a command — `uncaught` (an exception thrown
 * from a timer), `rejection` (an unhandled promise rejection), `exit0` (something calling `process.exit(0)`
 * before any verdict, as a Wasm runtime that runs out of memory may). Each must end as exit 2.
 */
export async function injectProcessFault(): Promise<void> {
  switch (process.env.ZG_TEST_FAULT) {
    case "uncaught":
      setTimeout(() => {
        throw new TypeError("byType[r.type].push is not a function (injected)");
      }, 0);
      await new Promise((r) => setTimeout(r, 1000));
      return;
    case "rejection":
      void Promise.reject(new RangeError("Maximum call stack size exceeded (injected)"));
      await new Promise((r) => setTimeout(r, 1000));
      return;
    case "exit0":
      process.exit(0);
  }
}

/**
 * `ZG_TEST_PAUSE_AT=<step>`: the process announces `zonegate: paused at <step>` on stderr and waits there
 * (async, signals are handled) for ZG_TEST_PAUSE_MS (default 30 s), so a test can signal it mid-work.
 */
export async function pausePoint(step: string): Promise<void> {
  if (process.env.ZG_TEST_PAUSE_AT !== step) return;
  process.stderr.write(`zonegate: paused at ${step}\n`);
  await new Promise((r) => setTimeout(r, Number(process.env.ZG_TEST_PAUSE_MS) || 30_000));
}
