/**
 * Break-glass has one meaning everywhere (CLI `--break-glass`, the deploy workflow's `break-glass` input):
 * apply a plan although the gate found mandatory violations — never a plan the gate could not decide
 * (exit 2), never a plan file changed after the gate. It needs a reason and an approver other than the
 * person running it, and every use appends an entry to the hash-chained log `audit/break-glass.log`.
 */
import * as path from "node:path";
import { GateError } from "../gate/errors";
import type { Verdict } from "../gate/verdict";
import { appendChained, type ChainEntry } from "./chain";

export const BREAK_GLASS_LOG = path.join("audit", "break-glass.log");
export const MIN_REASON = 10;

export interface BreakGlass {
  readonly reason: string;
  readonly approver: string;
  readonly actor: string;
}

export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_ACTOR || env.USER || env.USERNAME || "unknown";
}

/** Validate the flags; undefined when break-glass was not asked for. Throws GateError (exit 2) otherwise. */
export function parseBreakGlass(
  o: { breakGlass?: boolean; reason?: string; approver?: string },
  env: NodeJS.ProcessEnv = process.env,
): BreakGlass | undefined {
  const reason = (o.reason ?? "").trim();
  const approver = (o.approver ?? "").trim();
  if (!o.breakGlass) {
    if (o.reason || o.approver) throw new GateError("--reason and --approver are only used with --break-glass");
    return undefined;
  }
  if (!reason) throw new GateError('--break-glass needs a non-empty --reason "…" (incident/change id and why)');
  if (reason.length < MIN_REASON) {
    throw new GateError(
      `--break-glass needs a --reason of at least ${MIN_REASON} characters (incident/change id and why)`,
    );
  }
  if (!approver) throw new GateError("--break-glass needs --approver <who approved it> (a second person)");
  const actor = currentActor(env);
  if (approver.toLowerCase() === actor.toLowerCase()) {
    throw new GateError(`--approver must be someone other than the person running the deploy (${actor})`);
  }
  return { reason, approver, actor };
}

/** Append the break-glass entry for one overridden verdict; returns the chained entry. */
export function recordBreakGlass(
  log: string,
  bg: BreakGlass,
  what: { stacks: readonly string[]; verdict: Verdict; planSha256?: Readonly<Record<string, string>> },
): ChainEntry {
  try {
    return appendChained(log, {
      kind: "break-glass",
      meaning: "applied despite mandatory gate violations",
      actor: bg.actor,
      approver: bg.approver,
      reason: bg.reason,
      stacks: [...what.stacks],
      ...(what.planSha256 ? { plans: what.planSha256 } : {}),
      findings: what.verdict.findings
        .filter((f) => f.status === "violation")
        .map((f) => ({ rule: f.rule, key: f.key, severity: f.severity, message: f.message })),
    });
  } catch (e) {
    throw new GateError(`break-glass refused: ${(e as Error).message}`);
  }
}
