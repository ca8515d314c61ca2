/**
 * Errors the gate reports to users as "could not decide" (exit 2) — never with a stack trace.
 */
export class GateError extends Error {
  /** Process exit code the CLI uses for this error (2 = could not decide, 1 = e.g. validation problems). */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "GateError";
    this.exitCode = exitCode;
  }
}
