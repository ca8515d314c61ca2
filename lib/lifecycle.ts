/**
 * The process's one exit rule (issue #10): the exit code comes only from a verdict over the whole input.
 * Anything else — an uncaught exception, an unhandled rejection, SIGTERM/SIGINT/SIGHUP, a process that
 * ends while work is still pending (e.g. a Wasm runtime calling exit) — is exit 2 with one line naming the
 * input, never 0 and never a stack trace (`--debug` shows one). Temp files/directories and child
 * processes registered here are removed/killed on the way out.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { safeText } from "./report/escape";

const temps = new Set<string>();
const children = new Set<ChildProcess>();
let installed = false;
let decided: number | undefined;
let describeInput: () => string = () => "the input";
let debug = false;

/** A temp file or directory to remove if the process dies before it is renamed into place. */
export function registerTemp(p: string): void {
  temps.add(p);
}
export function unregisterTemp(p: string): void {
  temps.delete(p);
}

/** A child process to kill if this process is interrupted. */
export function registerChild(c: ChildProcess): void {
  children.add(c);
  c.once("exit", () => children.delete(c));
}

export function setDebug(on: boolean): void {
  debug = on;
}
export function isDebug(): boolean {
  return debug || process.env.ZG_DEBUG === "1";
}

/** Record the exit code of a completed command (the only way to exit 0). */
export function decide(code: number): void {
  decided = code;
}

function cleanup(): void {
  for (const c of children) {
    try {
      c.kill("SIGTERM");
    } catch {
      // already gone
    }
  }
  for (const t of temps) {
    try {
      fs.rmSync(t, { recursive: true, force: true });
    } catch {
      // best effort: the next run sweeps leftovers of dead processes
    }
  }
  temps.clear();
}

/** One line, no control characters (a message may quote hostile input). */
export function oneLine(s: string): string {
  return safeText(
    String(s)
      .split("\n")
      .find((l) => l.trim()) ?? String(s),
  ).slice(0, 400);
}

function die(reason: string, err?: unknown): never {
  cleanup();
  if (isDebug() && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.stderr.write(`zonegate: ${oneLine(reason)} while gating ${describeInput()} — no verdict (exit 2)\n`);
  decided = 2;
  process.exit(2);
}

/** Install the handlers (idempotent). `describe` names the input for the one-line reason. */
export function installProcessGuards(describe: () => string): void {
  describeInput = describe;
  if (installed) return;
  installed = true;
  process.on("uncaughtException", (e) =>
    die(`internal error: ${(e as Error)?.message ?? String(e)}${isDebug() ? "" : " (--debug shows the stack)"}`, e),
  );
  process.on("unhandledRejection", (e) =>
    die(
      `internal error (unhandled rejection): ${(e as Error)?.message ?? String(e)}${isDebug() ? "" : " (--debug shows the stack)"}`,
      e,
    ),
  );
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(sig, () => die(`interrupted by ${sig}`));
  }
  process.on("exit", (code) => {
    if (code === 0 && decided !== 0) {
      // Something ended the process "successfully" before any verdict (a runtime calling exit(0), an
      // event loop that drained while work was pending): that is never a pass.
      cleanup();
      process.stderr.write(
        `zonegate: the process ended before a verdict over ${describeInput()} was reached — no verdict (exit 2)\n`,
      );
      process.exitCode = 2;
    }
  });
}
