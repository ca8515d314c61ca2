/**
 * What the command files under lib/cli/ get from the main CLI (lib/cli/zonegate.ts) when they register:
 * output, the exit code setter, and the shared synth/report steps — passed in, so no command file imports
 * the CLI entry (no import cycle).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GateRun } from "../gate/gate";
import type { BundleOptions } from "../gate/bundle";
import { GateError } from "../gate/errors";
import type { Verdict } from "../gate/verdict";
import type { Format } from "../report";
import { hashInputs, writeEvidence, type EvidenceRecord } from "../evidence/record";
import { recordBreakGlass, type BreakGlass } from "../evidence/break-glass";
import type { EstateContext } from "../delivery/plan-gate";
import type { GateDecision, SavedPlan } from "../delivery/saved-plan";
import type { OffboardingInput } from "../gate/model";
import { findExecutable } from "./proc";
import type { Command } from "commander";

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

export interface CliContext {
  readonly io: CliIo;
  setCode(code: number): void;
  /** Validate tenants and synthesize the estate into outdir (incremental unless cache is false). */
  synth(tenantsDir: string, outdir: string, cache: boolean): Promise<unknown>;
  /** Bundle options for every gate of this run (the source hasher the CLI wired, lib/cli/wiring.ts). */
  readonly bundle: BundleOptions;
  /** Print and write the gate reports of a verdict. */
  emit(run: GateRun, verdict: Verdict, formats: readonly Format[], out: string | undefined): Promise<void>;
}

/**
 * Synthesize for a Terraform-running command without losing local state: the synth swaps `cdktf.out` whole,
 * and the local backend keeps state in `<outdir>/state/` (stacks/base-stack.ts), so it is moved aside and
 * back around the synth.
 */
/**
 * The options every command that plans against real state shares (deploy, drift, offboard): waivers, reports,
 * synth output, Terraform binary, evidence records, tenants.
 */
export function stateCommandOptions(cmd: Command, outHelp = "reports directory"): Command {
  return cmd
    .option("--waivers <file>", "waiver file")
    .option("--out <dir>", outHelp, "reports")
    .option("--synth-dir <dir>", "synth output directory", "cdktf.out")
    .option("--skip-synth", "use the existing synth output as it is")
    .option("--terraform <bin>", "Terraform binary (default TERRAFORM_BINARY_NAME or terraform)")
    .option("--evidence-dir <dir>", "evidence records directory (default reports/evidence)")
    .option("--tenants <dir>", "tenant files directory", "tenants");
}

export async function synthKeepingState(ctx: CliContext, tenants: string, outdir: string): Promise<void> {
  const state = path.join(outdir, "state");
  const aside = `${path.resolve(outdir)}.state-${process.pid}`;
  const had = fs.existsSync(state);
  if (had) fs.renameSync(state, aside);
  try {
    await ctx.synth(tenants, outdir, true);
  } finally {
    if (had) {
      fs.mkdirSync(outdir, { recursive: true });
      fs.rmSync(state, { recursive: true, force: true });
      fs.renameSync(aside, state);
    }
  }
}

/** The Terraform binary: `--terraform`, else TERRAFORM_BINARY_NAME, else `terraform` on PATH. */
export function terraformBinary(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.TERRAFORM_BINARY_NAME || "terraform";
}

/**
 * What a Terraform-running command needs, checked before anything is synthesized, planned or applied:
 * the Terraform binary and (when the stacks use azurerm) a subscription. Throws one GateError listing all.
 */
export function preflight(
  command: string,
  bin: string,
  needAzure: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const problems: string[] = [];
  const found = findExecutable(bin, env);
  if (!found) {
    problems.push(
      `Terraform is not installed: \`${bin}\` not found on PATH (install Terraform ≥ 1.5, or set TERRAFORM_BINARY_NAME / --terraform)`,
    );
  }
  if (needAzure && !(env.ARM_SUBSCRIPTION_ID ?? "").trim()) problems.push(NO_SUBSCRIPTION);
  if (problems.length) {
    throw new GateError(
      `${command} cannot run here — nothing was synthesized, gated or deployed:\n${problems.map((m) => `  - ${m}`).join("\n")}\n` +
        "  (to check stacks without deploying: `npm run zonegate -- run`, or `npm run gate`)",
    );
  }
  return found!;
}

const NO_SUBSCRIPTION =
  "no Azure subscription: ARM_SUBSCRIPTION_ID is not set (azurerm 4.x requires it; log in with OIDC " +
  "(ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID) or `az login` + ARM_USE_CLI=true — see docs/deploying.md)";

/** True when any of the stack directories configures the azurerm provider. */
export function usesAzure(dirs: readonly string[]): boolean {
  return dirs.some((d) => {
    const f = path.join(d, "cdk.tf.json");
    if (!fs.existsSync(f)) return false;
    try {
      const doc = JSON.parse(fs.readFileSync(f, "utf8")) as { provider?: Record<string, unknown> };
      return !!doc.provider && "azurerm" in doc.provider;
    } catch {
      return false;
    }
  });
}

export function requireSubscription(env: NodeJS.ProcessEnv = process.env): void {
  if (!(env.ARM_SUBSCRIPTION_ID ?? "").trim())
    throw new GateError(`${NO_SUBSCRIPTION} — nothing was planned or applied`);
}

export interface PlanGateHooks {
  readonly ctx: CliContext;
  readonly estate: EstateContext;
  readonly command: string;
  readonly reportsDir: string;
  readonly offboarding?: Readonly<Record<string, OffboardingInput>>;
  readonly breakGlass?: BreakGlass;
  readonly auditLog: string;
  readonly evidenceDir?: string;
  readonly waiverFile?: string;
  /** Called with each plan's verdict (drift reports collect them). */
  readonly onVerdict?: (plan: SavedPlan, run: GateRun, evidence: string) => void;
  /** Drift checks never stop at a violation: the run goes on to the next stack. */
  readonly neverStop?: boolean;
}

/**
 * The gate callback for lib/delivery/saved-plan.ts: gate the plan in estate context, write its reports to
 * `<reports>/<command>/<stack>/`, an evidence record with the plan file's sha256, and — only for a
 * mandatory violation (exit 1) with break-glass given — the chained break-glass entry.
 */
export function planGate(h: PlanGateHooks): (plan: SavedPlan) => Promise<GateDecision> {
  return async (plan) => {
    const { gatePlanInEstate } = await import("../delivery/plan-gate");
    const run = await gatePlanInEstate(h.estate, {
      stack: plan.stack,
      planJson: plan.planJson,
      offboarding: h.offboarding,
    });
    const v = run.verdict;
    const dir = path.join(h.reportsDir, h.command, plan.stack.replace(/[^A-Za-z0-9._-]/g, "_"));
    await h.ctx.emit(run, v, ["table", "json", "sarif", "junit", "markdown"], dir);
    h.ctx.io.out(
      `${h.command}: ${plan.stack}: gated ${path.basename(plan.planFile)} sha256:${plan.sha256} → exit ${v.exitCode}`,
    );
    let bgEntry: string | undefined;
    const override = v.exitCode === 1 && !!h.breakGlass && !h.neverStop;
    if (override) {
      const entry = recordBreakGlass(h.auditLog, h.breakGlass!, {
        stacks: [plan.stack],
        verdict: v,
        planSha256: { [plan.stack]: plan.sha256 },
      });
      bgEntry = entry.hash;
      const bar = "!".repeat(78);
      h.ctx.io.err(
        `${bar}\n!! BREAK-GLASS DEPLOY of ${plan.stack} by ${h.breakGlass!.actor}, approved by ${h.breakGlass!.approver}: ` +
          `${v.totals.violations} mandatory violation(s) overridden\n!! reason: ${h.breakGlass!.reason}\n` +
          `!! recorded in ${h.auditLog} (entry #${entry.seq}, ${entry.hash.slice(0, 12)}…)\n${bar}`,
      );
    }
    const inputs = [
      ...hashInputs([plan.planFile], "plan"),
      ...hashInputs([plan.planJson], "plan-json"),
      ...hashInputs([path.join(plan.dir, "cdk.tf.json")], "synth"),
      ...(h.waiverFile ? hashInputs([h.waiverFile], "waivers") : hashInputs(["waivers.yaml"], "waivers")),
    ];
    const rec: { file: string; record: EvidenceRecord } = writeEvidence({
      command: h.command,
      verdict: v,
      inputs,
      dir: h.evidenceDir,
      plan: { stack: plan.stack, file: path.basename(plan.planFile), sha256: plan.sha256, jsonSha256: plan.jsonSha256 },
      offboarding: h.offboarding ? Object.keys(h.offboarding) : undefined,
      breakGlass: bgEntry ? { ...h.breakGlass!, entry: bgEntry } : undefined,
    });
    h.ctx.io.err(`evidence: ${rec.file}`);
    // Beside the gate reports: which saved plan this verdict is about (the file apply will be held to).
    fs.writeFileSync(
      path.join(dir, "saved-plan.json"),
      `${JSON.stringify(
        {
          stack: plan.stack,
          kind: plan.kind,
          planFile: path.basename(plan.planFile),
          sha256: plan.sha256,
          planJsonSha256: plan.jsonSha256,
          exitCode: v.exitCode,
          evidence: rec.file,
        },
        null,
        2,
      )}\n`,
    );
    h.onVerdict?.(plan, run, rec.file);
    if (h.neverStop) return { exitCode: 0 };
    return { exitCode: v.exitCode, override };
  };
}
