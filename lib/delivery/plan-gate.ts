/**
 * Gating one stack's saved plan in estate context: the synthesized model of every other stack plus this
 * stack's plan (with its prior-state `before` values and outright deletes), evaluated as a whole estate so
 * estate-scope and cross-stack rules still run, then decided on this stack alone.
 */
import * as path from "node:path";
import { loadBundle, type BundleOptions } from "../gate/bundle";
import { GateError } from "../gate/errors";
import { gateResources, type GateRun } from "../gate/gate";
import type { OffboardingInput, TenantContext } from "../gate/model";
import { normalizePlan, normalizeSynth } from "../gate/normalize";
import type { StackSummary } from "../gate/normalize";
import { displayPath } from "../gate/normalize/common";
import type { SynthResult } from "../gate/normalize/synth";
import { restrictVerdict } from "../gate/verdict";
import { loadWaivers, type Waiver } from "../gate/waivers";

export interface EstateContext {
  readonly synth: SynthResult;
  readonly waivers: readonly Waiver[];
  readonly bundle: BundleOptions;
  readonly root: string;
}

/**
 * Load the synth model, bundle and waivers once for a whole deploy. `options` are the caller's bundle options
 * (e.g. the source hasher the CLI wired); its `root` (default cwd) is the repo root.
 */
export async function loadEstateContext(
  synthDir: string,
  waiverFile?: string,
  options: BundleOptions = {},
): Promise<EstateContext> {
  const root = options.root ?? process.cwd();
  const envDist = process.env.ZONEGATE_POLICY_DIST;
  const bundleOpts: BundleOptions = { ...options, root, ...(envDist ? { dist: envDist } : {}) };
  const bundle = await loadBundle(bundleOpts);
  const file = waiverFile ?? path.join(root, "waivers.yaml");
  const waivers = loadWaivers(file, {
    knownRules: new Set(bundle.catalogue.keys()),
    required: waiverFile !== undefined,
    display: displayPath(file, root),
  });
  return { synth: normalizeSynth(synthDir, { root }), waivers, bundle: bundleOpts, root };
}

export interface PlanGateOptions {
  readonly stack: string;
  readonly planJson: string;
  readonly offboarding?: Readonly<Record<string, OffboardingInput>>;
  /** Context when the synth model has no such stack (refused otherwise). */
  readonly tenant?: TenantContext | null;
  readonly now?: Date;
}

export async function gatePlanInEstate(ctx: EstateContext, o: PlanGateOptions): Promise<GateRun> {
  const st = ctx.synth.stacks.find((s) => s.name === o.stack);
  if (!st && o.tenant === undefined) {
    throw new GateError(`stack ${o.stack} is not in the synthesized estate; re-run \`zonegate synth\``);
  }
  const plan = normalizePlan(o.planJson, {
    stack: o.stack,
    tenant: st ? st.tenant : (o.tenant ?? null),
    context: st?.context,
    root: ctx.root,
  });
  const others = ctx.synth.resources.filter((r) => r.stack !== o.stack);
  const resources = [...others, ...plan.resources];
  const stacks: StackSummary[] = ctx.synth.stacks.map((s) =>
    s.name === o.stack
      ? {
          name: s.name,
          kind: "plan",
          file: displayPath(o.planJson, ctx.root),
          tenant: s.tenant?.id ?? null,
          env: s.context?.env ?? s.tenant?.env,
          resources: plan.resources.length,
        }
      : {
          name: s.name,
          kind: "synth",
          file: displayPath(s.file, ctx.root),
          tenant: s.tenant?.id ?? null,
          env: s.context?.env ?? s.tenant?.env,
          resources: 0,
        },
  );
  if (!st) {
    stacks.push({
      name: o.stack,
      kind: "plan",
      file: displayPath(o.planJson, ctx.root),
      tenant: o.tenant?.id ?? null,
      env: o.tenant?.env,
      resources: plan.resources.length,
    });
  }
  const verdict = await gateResources(resources, ctx.synth.complete, {
    bundle: ctx.bundle,
    waivers: ctx.waivers,
    now: o.now,
    stacks,
    deleted: plan.deleted,
    offboarding: o.offboarding,
  });
  const restricted = restrictVerdict(verdict, new Set([o.stack]));
  return {
    verdict: restricted,
    inputs: {
      resources: [...resources, ...plan.deleted],
      complete: ctx.synth.complete,
      stacks,
      warnings: [],
    },
  };
}
