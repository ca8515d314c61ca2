/**
 * `zonegate deploy <stacks…>`: saved-plan deploys (lib/delivery/saved-plan.ts). Per stack, dependencies
 * first: terraform init → plan -out=<stack>.tfplan → show -json → gate in estate context → sha256 check →
 * terraform apply <stack>.tfplan. `--plan` stops after the gate (nothing applied, no state lock taken).
 */
import { Command } from "commander";
import { parseBreakGlass, BREAK_GLASS_LOG } from "../evidence/break-glass";
import { outcomeSummary, runSavedPlans } from "../delivery/saved-plan";
import { GateError } from "../gate/errors";
import {
  planGate,
  requireSubscription,
  stateCommandOptions,
  preflight,
  synthKeepingState,
  terraformBinary,
  usesAzure,
  type CliContext,
} from "./context";

export interface DeployOptions {
  plan?: boolean;
  breakGlass?: boolean;
  reason?: string;
  approver?: string;
  offboarding?: string[];
  declarations: string;
  tenants: string;
  out: string;
  waivers?: string;
  synthDir: string;
  skipSynth?: boolean;
  terraform?: string;
  auditLog: string;
  evidenceDir?: string;
}

export async function deploy(ctx: CliContext, stacks: readonly string[], o: DeployOptions): Promise<number> {
  const io = ctx.io;
  // The delivery modules (the gate, the readers, the tenant YAML loader) load here, not at CLI start.
  const [{ loadOffboarding, offboardingInput }, { deployTargets }, { loadEstateContext }] = await Promise.all([
    import("../delivery/offboarding"),
    import("../delivery/order"),
    import("../delivery/plan-gate"),
  ]);
  // Everything that can be refused is refused before anything is synthesized, planned or applied.
  const bg = parseBreakGlass(o);
  if (bg && o.plan) throw new GateError("--break-glass applies a plan; it has no meaning with --plan");
  const decls = (o.offboarding ?? []).map((t) => loadOffboarding(t, o.declarations));
  const offboarding = decls.length ? offboardingInput(decls) : undefined;
  // The synthesized estate always uses azurerm; with --skip-synth it is checked on the stacks themselves.
  const bin = preflight("deploy", terraformBinary(o.terraform), !o.skipSynth);
  if (!o.skipSynth) await synthKeepingState(ctx, o.tenants, o.synthDir);
  // The requested stacks and their dependencies, dependencies first (lib/delivery/order.ts).
  const targets = deployTargets(o.synthDir, stacks);
  const order = targets.map((t) => t.name);
  if (o.skipSynth && usesAzure(targets.map((t) => t.dir))) requireSubscription();
  io.out(
    `deploy: ${order.join(" → ")}${order.length > stacks.length ? " (with dependencies)" : ""}` +
      (o.plan ? " — plan and gate only, nothing is applied" : ""),
  );
  const estate = await loadEstateContext(o.synthDir, o.waivers, ctx.bundle);
  const gate = planGate({
    ctx,
    estate,
    command: "deploy",
    reportsDir: o.out,
    offboarding,
    breakGlass: bg,
    auditLog: o.auditLog,
    evidenceDir: o.evidenceDir,
    waiverFile: o.waivers,
  });
  if (o.plan) {
    // Nothing is applied, so one stack's violations need not hide the next one's: gate every plan.
    let worst = 0;
    for (const t of targets) {
      const r = await runSavedPlans([t], { kind: "preview", terraform: { bin }, log: (l) => io.out(l), gate });
      if (r.failure) {
        io.err(`deploy --plan: ${t.name}: ${r.failure.step}: ${r.failure.message}`);
        worst = Math.max(worst, r.failure.exitCode);
      }
    }
    io.out(`deploy --plan: ${targets.length} stack(s) planned and gated, nothing applied (exit ${worst})`);
    return worst;
  }
  const outcome = await runSavedPlans(targets, { kind: "apply", terraform: { bin }, log: (l) => io.out(l), gate });
  const summary = outcomeSummary(outcome);
  if (outcome.failure) {
    io.err(summary);
    if (outcome.failure.step === "gate" && outcome.failure.exitCode === 1) {
      io.err(
        "deploy: gate failed — that stack and everything after it not applied (fix the findings, add a waiver, or --break-glass --reason --approver)",
      );
    }
    return outcome.failure.exitCode;
  }
  io.out(summary);
  return 0;
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("deploy")
    .description(
      "per stack, dependencies first: terraform plan -out → gate → apply exactly that saved plan (sha256-checked)",
    )
    .argument("<stacks...>", "stack names (their dependencies are deployed first)")
    .option("--plan", "plan and gate every stack, apply nothing (no state lock: a read-only identity can run it)")
    .option("--break-glass", "apply despite mandatory violations (needs --reason and --approver; chained audit log)")
    .option("--reason <text>", "break-glass: incident/change id and why")
    .option("--approver <who>", "break-glass: who approved it (not the person running it)")
    .option("--offboarding <tenants...>", "declared offboarding(s): read offboarding/<tenant>.yaml")
    .option("--declarations <dir>", "offboarding declarations directory", "offboarding")
    .option("--audit-log <file>", "break-glass log (hash-chained)", BREAK_GLASS_LOG);
  stateCommandOptions(cmd, "reports directory (per stack: <out>/deploy/<stack>/)").action(
    async (stacks: string[], o: DeployOptions) => ctx.setCode(await deploy(ctx, stacks, o)),
  );
}
