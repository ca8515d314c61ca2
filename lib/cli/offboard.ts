/**
 * `zonegate offboard <tenant>`: retire a tenant without breaking retention.
 *
 * Needs the signed-off declaration `offboarding/<tenant>.yaml` (lib/delivery/offboarding.ts). Then:
 *   1. retained: the WORM archive (immutability policies, their containers and storage accounts), the Key
 *      Vault and its keys — plus everything they depend on (resource group, identities, …), computed from
 *      the synthesized references across stacks;
 *   2. the tenant's management locks are removed first (a lock on the resource group blocks every delete),
 *      then every tenant stack is destroyed, dependents first, through gated saved destroy plans with the
 *      offboarding declared — whole stacks where nothing is retained, `-target`ed destroys of the rest;
 *   3. the keys are disabled now and deleted after `retainUntil` (crypto-shredding): the commands are printed
 *      and recorded (data-plane operations, not Terraform);
 *   4. `--finalize` on or after `retainUntil` destroys what was retained (before that the gate refuses,
 *      ZG-LC-003).
 * `--plan`: plan and gate every step, apply nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { outcomeSummary, runSavedPlans, type PlanTarget, type RunOutcome } from "../delivery/saved-plan";
import { GateError } from "../gate/errors";
import type { ResourceModel } from "../gate/model";
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

export interface OffboardOptions {
  declarations: string;
  finalize?: boolean;
  plan?: boolean;
  tenants: string;
  out: string;
  waivers?: string;
  synthDir: string;
  skipSynth?: boolean;
  terraform?: string;
  evidenceDir?: string;
}

/** Types kept until the WORM period ends (their dependencies are kept with them). */
export const RETAINED_SEED_TYPES = new Set([
  "azurerm_storage_container_immutability_policy",
  "azurerm_key_vault",
  "azurerm_key_vault_key",
]);

/** Keys of the retained resources: seeds, the containers/accounts the WORM policies protect, and dependencies. */
export function retainedKeys(resources: readonly ResourceModel[]): Set<string> {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  const keep = new Set<string>();
  const queue: string[] = [];
  const add = (k: string) => {
    if (!keep.has(k) && byKey.has(k)) {
      keep.add(k);
      queue.push(k);
    }
  };
  for (const r of resources) if (RETAINED_SEED_TYPES.has(r.type)) add(r.key);
  // Everything a retained resource references (container → account → resource group, CMK → vault, …).
  while (queue.length) {
    const r = byKey.get(queue.shift()!)!;
    for (const ks of Object.values(r.refs)) for (const k of ks) add(k);
  }
  return keep;
}

export interface OffboardStep {
  readonly title: string;
  readonly targets: PlanTarget[];
}

/** The destroy steps for a tenant (not finalizing): locks first, then stacks dependents-first. */
export function offboardSteps(
  resources: readonly ResourceModel[],
  order: readonly { name: string; dir: string }[],
): { steps: OffboardStep[]; retained: ResourceModel[] } {
  const keep = retainedKeys(resources);
  const retained = resources.filter((r) => keep.has(r.key));
  const locks = resources.filter((r) => r.type === "azurerm_management_lock" && r.mode === "managed");
  const steps: OffboardStep[] = [];
  const lockStacks = order.filter((s) => locks.some((l) => l.stack === s.name));
  if (lockStacks.length) {
    steps.push({
      title: "remove the tenant's management locks",
      targets: lockStacks.map((s) => ({
        ...s,
        planArgs: locks.filter((l) => l.stack === s.name).map((l) => `-target=${l.address}`),
      })),
    });
  }
  const targets: PlanTarget[] = [];
  for (const s of order) {
    const mine = resources.filter((r) => r.stack === s.name && r.mode === "managed");
    const kept = mine.filter((r) => keep.has(r.key));
    if (!kept.length) targets.push({ ...s });
    else {
      const gone = mine.filter((r) => !keep.has(r.key) && r.type !== "azurerm_management_lock");
      if (gone.length) targets.push({ ...s, planArgs: gone.map((r) => `-target=${r.address}`) });
    }
  }
  steps.push({ title: "destroy everything not retained (dependents first)", targets });
  return { steps, retained };
}

export async function offboard(ctx: CliContext, tenant: string, o: OffboardOptions): Promise<number> {
  const io = ctx.io;
  // The delivery modules (the gate, the readers, the tenant YAML loader) load here, not at CLI start.
  const [{ loadOffboarding, offboardingInput, today }, { stackDirs, withDependents }, { loadEstateContext }] =
    await Promise.all([
      import("../delivery/offboarding"),
      import("../delivery/order"),
      import("../delivery/plan-gate"),
    ]);
  const decl = loadOffboarding(tenant, o.declarations);
  const released = decl.retainUntil <= today();
  if (o.finalize && !released) {
    throw new GateError(
      `offboard --finalize ${tenant}: the WORM archive is retained until ${decl.retainUntil} (${decl.file}); nothing destroyed`,
      1,
    );
  }
  // The synthesized estate always uses azurerm; with --skip-synth it is checked on the stacks themselves.
  const bin = preflight("offboard", terraformBinary(o.terraform), !o.skipSynth);
  if (!o.skipSynth) await synthKeepingState(ctx, o.tenants, o.synthDir);
  const estate = await loadEstateContext(o.synthDir, o.waivers, ctx.bundle);
  const mineStacks = new Set(estate.synth.stacks.filter((s) => s.tenant?.id === tenant).map((s) => s.name));
  if (!mineStacks.size) throw new GateError(`offboard: no stacks of tenant "${tenant}" in ${o.synthDir}`);
  const all = stackDirs(o.synthDir);
  const deps = new Map(all.map((s) => [s.name, new Set(s.deps)]));
  const dirOf = new Map(all.map((s) => [s.name, s.dir]));
  const order = withDependents([...mineStacks], deps)
    .filter((n) => mineStacks.has(n))
    .map((n) => ({ name: n, dir: dirOf.get(n)! }));
  if (o.skipSynth && usesAzure(order.map((s) => s.dir))) requireSubscription();
  const resources = estate.synth.resources.filter((r) => mineStacks.has(r.stack));
  const { steps, retained } = o.finalize
    ? {
        steps: [{ title: "destroy the retained archive, vault and keys (retention ended)", targets: order }],
        retained: [],
      }
    : offboardSteps(resources, order);
  const offboarding = offboardingInput([decl]);
  io.out(
    `offboard: ${tenant} (${decl.file}: approved by ${decl.approvedBy} on ${decl.approvedOn}, archive retained until ${decl.retainUntil})` +
      (o.plan ? " — plan and gate only" : ""),
  );
  if (retained.length) {
    io.out(
      `offboard: retained until ${decl.retainUntil}: ${retained.map((r) => `${r.stack}/${r.address}`).join(", ")}`,
    );
  }
  const outcomes: { title: string; outcome: RunOutcome }[] = [];
  let failed: RunOutcome | undefined;
  for (const step of steps) {
    if (!step.targets.length) continue;
    io.out(`offboard: ${step.title}: ${step.targets.map((t) => t.name).join(" → ")}`);
    const outcome = await runSavedPlans(step.targets, {
      kind: "destroy",
      apply: !o.plan,
      terraform: { bin },
      log: (l) => io.out(l),
      gate: planGate({
        ctx,
        estate,
        command: "offboard",
        reportsDir: o.out,
        offboarding,
        auditLog: "",
        evidenceDir: o.evidenceDir,
        waiverFile: o.waivers,
      }),
    });
    outcomes.push({ title: step.title, outcome });
    io.out(outcomeSummary(outcome));
    if (outcome.failure) {
      failed = outcome;
      break;
    }
  }
  // Crypto-shredding: disable the keys now, delete them when the archive is released.
  const keys = retained.filter((r) => r.type === "azurerm_key_vault_key");
  const vaultName = (k: ResourceModel): string => {
    const ref = (k.refs.key_vault_id ?? [])[0];
    const v = resources.find((r) => r.key === ref);
    return String(v?.values.name ?? "<vault>");
  };
  const keySteps = keys.map((k) => ({
    key: `${vaultName(k)}/${String(k.values.name ?? k.name)}`,
    disableNow: `az keyvault key set-attributes --vault-name ${vaultName(k)} --name ${String(k.values.name ?? k.name)} --enabled false --expires ${decl.retainUntil}T00:00:00Z`,
    deleteAfter: decl.retainUntil,
  }));
  if (!o.finalize && !failed) {
    for (const s of keySteps) io.out(`offboard: key ${s.key}: disable now → ${s.disableNow}`);
    io.out(
      `offboard: on or after ${decl.retainUntil}: zonegate offboard ${tenant} --finalize (destroys the archive, vault and keys)`,
    );
  }
  const record = {
    tenant,
    declaration: decl,
    finalize: !!o.finalize,
    planOnly: !!o.plan,
    retained: retained.map((r) => ({ stack: r.stack, address: r.address, type: r.type })),
    keySteps,
    steps: outcomes.map((s) => ({
      title: s.title,
      planned: s.outcome.planned.map((p) => ({ stack: p.stack, sha256: p.sha256 })),
      destroyed: s.outcome.applied,
      failure: s.outcome.failure,
    })),
  };
  const dir = path.join(o.out, "offboarding");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${tenant}.json`), `${JSON.stringify(record, null, 2)}\n`);
  io.out(`offboard: record ${path.join(dir, `${tenant}.json`)}`);
  return failed?.failure?.exitCode ?? 0;
}

export function registerOffboard(program: Command, ctx: CliContext): void {
  stateCommandOptions(
    program
      .command("offboard")
      .description(
        "retire a tenant: keep the WORM archive and keys until retainUntil, destroy the rest through gated saved plans",
      )
      .argument("<tenant>", "tenant id (needs offboarding/<tenant>.yaml)")
      .option("--finalize", "after retainUntil: destroy the retained archive, vault and keys")
      .option("--plan", "plan and gate every destroy, apply nothing")
      .option("--declarations <dir>", "offboarding declarations directory", "offboarding"),
  ).action(async (tenant: string, o: OffboardOptions) => ctx.setCode(await offboard(ctx, tenant, o)));
}
