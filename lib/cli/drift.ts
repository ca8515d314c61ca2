/**
 * `zonegate drift [stacks…]`: for every stack (default: all), two read-only plans, never applied and without
 * the state lock:
 *   1. `terraform plan -refresh-only -detailed-exitcode` — did the real world change behind the state's back
 *      (portal edits, deletions)? The refreshed plan is gated: what is actually deployed must still pass.
 *   2. `terraform plan -detailed-exitcode` — does the state still match the code (out-of-band state edits,
 *      unapplied changes)?
 * Reported per tenant (console, reports/drift.json, reports/drift.md, the job summary). Exit 0 no drift and
 * no violation · 1 drift or a violation in the deployed state · 2 a stack could not be checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { runSavedPlans } from "../delivery/saved-plan";
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

export interface DriftOptions {
  tenant?: string[];
  tenants: string;
  out: string;
  waivers?: string;
  synthDir: string;
  skipSynth?: boolean;
  terraform?: string;
  evidenceDir?: string;
}

export interface DriftRow {
  readonly tenant: string;
  readonly stack: string;
  /** Real world ≠ state (refresh-only plan has changes). */
  readonly refreshDrift: boolean;
  /** State ≠ code (normal plan has changes). */
  readonly configDrift: boolean;
  readonly violations: number;
  readonly planSha256?: string;
  readonly evidence?: string;
  readonly error?: string;
}

function markdown(rows: readonly DriftRow[]): string {
  const lines = [
    "## zonegate drift",
    "",
    "| tenant | stack | real world ≠ state | state ≠ code | violations (deployed state) | error |",
    "| --- | --- | --- | --- | ---: | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.tenant} | \`${r.stack}\` | ${r.refreshDrift ? "**drift**" : "no"} | ${r.configDrift ? "**drift**" : "no"} | ${r.violations} | ${r.error ?? ""} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export async function drift(ctx: CliContext, stacks: readonly string[], o: DriftOptions): Promise<number> {
  const io = ctx.io;
  // The delivery modules (the gate, the readers, the tenant YAML loader) load here, not at CLI start.
  const [{ stackDirs, withDependencies }, { loadEstateContext }] = await Promise.all([
    import("../delivery/order"),
    import("../delivery/plan-gate"),
  ]);
  // The synthesized estate always uses azurerm; with --skip-synth it is checked on the stacks themselves.
  const bin = preflight("drift", terraformBinary(o.terraform), !o.skipSynth);
  if (!o.skipSynth) await synthKeepingState(ctx, o.tenants, o.synthDir);
  const estate = await loadEstateContext(o.synthDir, o.waivers, ctx.bundle);
  const tenantOf = new Map(estate.synth.stacks.map((s) => [s.name, s.tenant?.id ?? "platform"]));
  const all = stackDirs(o.synthDir);
  const deps = new Map(all.map((s) => [s.name, new Set(s.deps)]));
  let names = stacks.length ? stacks : all.map((s) => s.name);
  if (o.tenant?.length) names = names.filter((n) => o.tenant!.includes(tenantOf.get(n) ?? "platform"));
  const order = withDependencies(names, deps).filter((n) => names.includes(n));
  const dirOf = new Map(all.map((s) => [s.name, s.dir]));
  if (o.skipSynth && usesAzure(order.map((n) => dirOf.get(n)!))) requireSubscription();
  io.out(`drift: checking ${order.length} stack(s)`);
  const rows: DriftRow[] = [];
  for (const name of order) {
    const target = [{ name, dir: dirOf.get(name)! }];
    let violations = 0;
    let evidence: string | undefined;
    const refresh = await runSavedPlans(target, {
      kind: "drift",
      terraform: { bin },
      log: (l) => io.out(l),
      gate: planGate({
        ctx,
        estate,
        command: "drift",
        reportsDir: o.out,
        auditLog: "",
        evidenceDir: o.evidenceDir,
        waiverFile: o.waivers,
        neverStop: true,
        onVerdict: (_p, run, file) => {
          violations = run.verdict.totals.violations;
          evidence = file;
        },
      }),
    });
    const config = refresh.failure
      ? undefined
      : await runSavedPlans(target, {
          kind: "drift-config",
          terraform: { bin },
          log: (l) => io.out(l),
          gate: async () => ({ exitCode: 0 }),
        });
    const failure = refresh.failure ?? config?.failure;
    rows.push({
      tenant: tenantOf.get(name) ?? "platform",
      stack: name,
      refreshDrift: refresh.planned[0]?.changes ?? false,
      configDrift: config?.planned[0]?.changes ?? false,
      violations,
      ...(refresh.planned[0] ? { planSha256: refresh.planned[0].sha256 } : {}),
      ...(evidence ? { evidence } : {}),
      ...(failure ? { error: `${failure.step}: ${failure.message}` } : {}),
    });
  }
  rows.sort((a, b) => a.tenant.localeCompare(b.tenant) || a.stack.localeCompare(b.stack));
  const tenants = [...new Set(rows.map((r) => r.tenant))];
  for (const t of tenants) {
    const mine = rows.filter((r) => r.tenant === t);
    const drifted = mine.filter((r) => r.refreshDrift || r.configDrift);
    const v = mine.reduce((a, r) => a + r.violations, 0);
    const errors = mine.filter((r) => r.error);
    io.out(
      `drift: ${t}: ${mine.length} stack(s), ${drifted.length} drifted${drifted.length ? ` (${drifted.map((r) => `${r.stack}${r.refreshDrift ? " [real≠state]" : ""}${r.configDrift ? " [state≠code]" : ""}`).join(", ")})` : ""}, ${v} violation(s) in the deployed state${errors.length ? `, ${errors.length} not checked` : ""}`,
    );
    for (const r of errors) io.err(`drift: ${r.stack}: ${r.error}`);
  }
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(
    path.join(o.out, "drift.json"),
    `${JSON.stringify({ time: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  const md = markdown(rows);
  fs.writeFileSync(path.join(o.out, "drift.md"), md);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, md);
  const anyError = rows.some((r) => r.error);
  const anyDrift = rows.some((r) => r.refreshDrift || r.configDrift || r.violations > 0);
  const code = anyError ? 2 : anyDrift ? 1 : 0;
  io.out(
    `drift: ${code === 0 ? "no drift" : code === 1 ? "DRIFT" : "could not check every stack"} (exit ${code}); reports: ${path.join(o.out, "drift.json")}, ${path.join(o.out, "drift.md")}`,
  );
  return code;
}

export function registerDrift(program: Command, ctx: CliContext): void {
  stateCommandOptions(
    program
      .command("drift")
      .description(
        "refresh-only and normal plans of every stack (-detailed-exitcode, no lock), gate the refreshed state, report per tenant",
      )
      .argument("[stacks...]", "stack names (default: every stack)")
      .option("--tenant <ids...>", "only these tenants' stacks (platform: the shared stacks)"),
  ).action(async (stacks: string[], o: DriftOptions) => ctx.setCode(await drift(ctx, stacks, o)));
}
