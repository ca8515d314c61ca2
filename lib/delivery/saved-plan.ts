/**
 * Saved-plan deploys: the plan the gate judged is the plan Terraform applies.
 *
 * Per stack, dependencies first:
 *   terraform init → terraform plan -out=<stack>.tfplan → sha256(<stack>.tfplan) → terraform show -json →
 *   gate → sha256 again (refused when it changed) → terraform apply <stack>.tfplan
 * A dependent stack is planned only after every stack before it was applied, so its remote-state inputs
 * are the applied outputs. The first failure (init, plan, gate, a changed plan file, apply) stops the run;
 * the outcome says which stacks were applied and which were never reached.
 *
 * The same runner plans destroys (`-destroy`, optionally `-target`ed: offboarding) and drift checks
 * (`-refresh-only -detailed-exitcode`, never applied). Terraform itself also refuses a saved plan whose
 * state changed since planning (stale plan), which covers what the hash cannot: the state it was made from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../hash";
import { run as runProcess, type RunOptions, type RunResult } from "../cli/proc";

/**
 * `apply` and `destroy` are applied after the gate; `preview` (`deploy --plan`, pull requests), `drift` (`-refresh-only`: the real world vs state) and
 * `drift-config` (a normal plan: state vs the code) are only planned and gated, with `-detailed-exitcode`
 * and without taking the state lock (a read-only identity can run them).
 */
export type PlanKind = "apply" | "destroy" | "preview" | "drift" | "drift-config";

/** Kinds that are planned and gated only (never applied, no state lock). */
const isDrift = (k: PlanKind) => k === "drift" || k === "drift-config" || k === "preview";

/** How to run Terraform: the binary and the process runner are injectable (tests, other Terraform builds). */
export interface TerraformRunner {
  /** Terraform binary (name on PATH or a path). */
  readonly bin: string;
  /** Extra environment for every Terraform call. */
  readonly env?: NodeJS.ProcessEnv;
  readonly run?: (cmd: string, args: readonly string[], opts: RunOptions) => Promise<RunResult>;
}

/** One stack to plan: its name and Terraform working directory (the directory of its cdk.tf.json). */
export interface PlanTarget {
  readonly name: string;
  readonly dir: string;
  /** Extra `terraform plan` arguments (e.g. `-target=…` for a partial destroy). */
  readonly planArgs?: readonly string[];
}

export interface SavedPlan {
  readonly stack: string;
  readonly dir: string;
  readonly kind: PlanKind;
  /** Absolute path of the binary plan file (`<dir>/<stack>.tfplan`). */
  readonly planFile: string;
  /** Absolute path of its `terraform show -json` output (`<dir>/<stack>.plan.json`). */
  readonly planJson: string;
  /** sha256 of the plan file right after `terraform plan` wrote it. */
  readonly sha256: string;
  /** sha256 of the plan JSON the gate read. */
  readonly jsonSha256: string;
  /** `-detailed-exitcode`: true when the plan has changes (drift plans; always true otherwise). */
  readonly changes: boolean;
}

/** What the gate callback decides for one plan. */
export interface GateDecision {
  /** 0 pass · 1 mandatory violation · 2 could not decide. */
  readonly exitCode: number;
  /** Apply although exitCode is 1 (break-glass, recorded by the caller). Never for exit 2. */
  readonly override?: boolean;
}

export type Step = "init" | "plan" | "show" | "gate" | "verify" | "apply";

export interface StackFailure {
  readonly stack: string;
  readonly step: Step;
  readonly message: string;
  /** Exit code for the CLI: 1 gate violation, 2 anything else. */
  readonly exitCode: 1 | 2;
}

export interface RunOutcome {
  readonly kind: PlanKind;
  readonly planned: SavedPlan[];
  readonly applied: string[];
  /** Stacks never reached because an earlier one failed. */
  readonly notReached: string[];
  readonly failure?: StackFailure;
}

export interface SavedPlanOptions {
  readonly kind: PlanKind;
  readonly terraform: TerraformRunner;
  /** Gate one saved plan (after `terraform show -json`). Throwing counts as exit 2. */
  readonly gate: (plan: SavedPlan) => Promise<GateDecision>;
  readonly log?: (line: string) => void;
  /** Apply after a passing gate (default true for apply/destroy; drift plans are never applied). */
  readonly apply?: boolean;
}

const TF_ENV: NodeJS.ProcessEnv = { TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };

/** The plan file name of a stack (file-system safe). */
export function planFileName(stack: string, kind: PlanKind): string {
  const safe = stack.replace(/[^A-Za-z0-9._-]/g, "_");
  return kind === "drift"
    ? `${safe}.drift.tfplan`
    : kind === "drift-config"
      ? `${safe}.config-drift.tfplan`
      : `${safe}.tfplan`;
}

export function fileSha256(file: string): string {
  return sha256(fs.readFileSync(file));
}

/** First meaningful lines of Terraform's error output (run with -no-color; box drawing removed). */
function firstError(r: RunResult): string {
  const lines = `${r.stderr}\n${r.stdout}`
    .split("\n")
    .map((l) => l.replace(/^[│╷╵\s]+/, "").trim())
    .filter(
      (l) =>
        l &&
        !/^There are some problems with the CLI configuration|Unable to open CLI configuration|CLI configuration file at/.test(
          l,
        ),
    );
  const err = lines.findIndex((l) => /^Error:/.test(l));
  const pick = err >= 0 ? lines.slice(err, err + 3) : lines.slice(-3);
  return pick.join(" ").slice(0, 400) || `exit ${r.code}`;
}

/** The "Plan: 1 to add, …" / "No changes." line of a plan's output, for the log. */
function planSummary(out: string): string | undefined {
  const m = /^(Plan: .*|No changes\..*|Changes to Outputs:.*)$/m.exec(out);
  return m?.[1];
}

/**
 * Plan, gate and (unless drift) apply each target in the given order (callers pass dependencies first, or
 * dependents first for destroys). Stops at the first failure.
 */
export async function runSavedPlans(targets: readonly PlanTarget[], o: SavedPlanOptions): Promise<RunOutcome> {
  const exec = o.terraform.run ?? runProcess;
  const env = { ...process.env, ...TF_ENV, ...o.terraform.env };
  const log = o.log ?? (() => undefined);
  const apply = !isDrift(o.kind) && o.apply !== false;
  const planned: SavedPlan[] = [];
  const applied: string[] = [];
  const tf = (args: readonly string[], dir: string) =>
    exec(o.terraform.bin, [...args], { cwd: dir, env, capture: true });
  const fail = (i: number, step: Step, message: string, exitCode: 1 | 2 = 2): RunOutcome => ({
    kind: o.kind,
    planned,
    applied,
    notReached: targets.slice(i + 1).map((t) => t.name),
    failure: { stack: targets[i].name, step, message, exitCode },
  });

  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    const dir = path.resolve(t.dir);
    if (!fs.existsSync(dir)) return fail(i, "init", `working directory ${dir} does not exist`);
    const init = await tf(["init", "-input=false", "-no-color"], dir);
    if (init.code !== 0) return fail(i, "init", `terraform init failed: ${firstError(init)}`);

    const planFile = path.join(dir, planFileName(t.name, o.kind));
    const planJson = planFile.replace(/\.tfplan$/, ".plan.json");
    fs.rmSync(planFile, { force: true });
    fs.rmSync(planJson, { force: true });
    const modeArgs = {
      apply: ["-lock-timeout=5m"],
      destroy: ["-destroy", "-lock-timeout=5m"],
      preview: ["-lock=false"],
      drift: ["-refresh-only", "-detailed-exitcode", "-lock=false"],
      "drift-config": ["-detailed-exitcode", "-lock=false"],
    }[o.kind];
    const plan = await tf(
      ["plan", "-input=false", "-no-color", ...modeArgs, ...(t.planArgs ?? []), `-out=${path.basename(planFile)}`],
      dir,
    );
    const detailed = o.kind === "drift" || o.kind === "drift-config";
    const changes = detailed ? plan.code === 2 : true;
    if (plan.code !== 0 && !(detailed && plan.code === 2)) {
      return fail(i, "plan", `terraform plan failed: ${firstError(plan)}`);
    }
    if (!fs.existsSync(planFile)) return fail(i, "plan", `terraform plan wrote no ${path.basename(planFile)}`);
    const hash = fileSha256(planFile);

    const shown = await tf(["show", "-json", "-no-color", path.basename(planFile)], dir);
    if (shown.code !== 0) return fail(i, "show", `terraform show -json failed: ${firstError(shown)}`);
    fs.writeFileSync(planJson, shown.stdout);
    const saved: SavedPlan = {
      stack: t.name,
      dir,
      kind: o.kind,
      planFile,
      planJson,
      sha256: hash,
      jsonSha256: sha256(shown.stdout),
      changes,
    };
    planned.push(saved);
    log(
      `${o.kind}: ${t.name}: planned ${path.basename(planFile)} sha256:${hash} — ${planSummary(plan.stdout) ?? "plan written"}`,
    );

    let decision: GateDecision;
    try {
      decision = await o.gate(saved);
    } catch (e) {
      return fail(i, "gate", `gate could not decide: ${(e as Error).message.split("\n")[0]}`);
    }
    if (decision.exitCode !== 0 && !(decision.exitCode === 1 && decision.override)) {
      const exitCode = decision.exitCode === 1 ? 1 : 2;
      return fail(i, "gate", exitCode === 1 ? "gate: mandatory violations" : "gate could not decide", exitCode);
    }
    if (!apply) continue;

    // Right before apply: the file Terraform will read must be the file the gate judged.
    let now: string;
    try {
      now = fileSha256(planFile);
    } catch {
      return fail(i, "verify", `plan file ${planFile} disappeared after the gate — refused, nothing applied for it`);
    }
    if (now !== hash) {
      return fail(
        i,
        "verify",
        `plan file ${path.basename(planFile)} changed after the gate (gated sha256:${hash}, now sha256:${now}) — refused, not applied`,
      );
    }
    const ap = await tf(["apply", "-input=false", "-no-color", "-lock-timeout=5m", path.basename(planFile)], dir);
    if (ap.code !== 0) return fail(i, "apply", `terraform apply ${path.basename(planFile)} failed: ${firstError(ap)}`);
    applied.push(t.name);
    log(`${o.kind}: ${t.name}: applied ${path.basename(planFile)} sha256:${hash}`);
  }
  return { kind: o.kind, planned, applied, notReached: [] };
}

/** One line for the end of a run: what was applied, what failed, what was never reached. */
export function outcomeSummary(o: RunOutcome): string {
  const verb = o.kind === "destroy" ? "destroyed" : "applied";
  const done = o.applied.length ? o.applied.join(", ") : "none";
  if (!o.failure) {
    if (isDrift(o.kind)) return `${o.kind}: ${o.planned.length} stack(s) checked`;
    return `${o.kind}: ${o.applied.length} stack(s) ${verb}: ${done}`;
  }
  const f = o.failure;
  return (
    `${o.kind}: stopped at ${f.stack} (${f.step}): ${f.message}\n` +
    `${o.kind}: ${verb} before the failure: ${done}` +
    (o.notReached.length ? `\n${o.kind}: not reached: ${o.notReached.join(", ")}` : "")
  );
}
