/**
 * One entry point over every input kind: synth directories, plan JSON files and HCL directories all
 * become one ResourceModel[] (and whether it is a complete estate).
 */
import { minimatch } from "minimatch";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import { CONTEXT_HINT } from "../context";
import { normalizeSynth } from "./synth";
import { normalizePlan } from "./plan";
import { normalizeHcl } from "./hcl";
import { displayPath } from "./common";

export { normalizeSynth, findStackFiles, REMOTE_STATE_PREFIX } from "./synth";
export { normalizePlan, normalizePlanDoc, assertPlan, unknownPaths, planStackName } from "./plan";
export { normalizeHcl, parseTerraformFile } from "./hcl";

export interface InputSpec {
  readonly synth?: string;
  readonly plans?: readonly string[];
  readonly hcl?: readonly string[];
  /** Context for inputs that carry none (plan, HCL, synth stacks without a zonegate comment). */
  readonly tenant?: TenantContext | null;
  /** Stack context for plan/HCL inputs (e.g. from the stack's synth comment in `deploy --plan`). */
  readonly contexts?: Readonly<Record<string, StackContext>>;
  /** Plan file → stack name (default: the file's base name). */
  readonly planStacks?: Readonly<Record<string, string>>;
  /** Glob over stack names; inputs become partial. */
  readonly stackGlob?: string;
  readonly root?: string;
  /**
   * Accept a plan or HCL input with no managed resource to create, update or keep (e.g. a destroy-only plan).
   * Without it such an input is refused: "nothing to gate" is exit 2, never a PASS over nothing.
   */
  readonly allowEmpty?: boolean;
  /** Called with each plan document once parsed, before it is normalized (./plan.ts normalizePlan `onParsed`). */
  readonly onPlanParsed?: (doc: unknown) => void;
}

export interface StackSummary {
  readonly name: string;
  readonly kind: "synth" | "plan" | "hcl";
  readonly file: string;
  readonly tenant: string | null;
  readonly env?: string;
  readonly resources: number;
}

export interface LoadedInputs {
  readonly resources: ResourceModel[];
  /** Resources plans delete outright (with their prior-state values), kept apart from `resources`. */
  readonly deleted?: ResourceModel[];
  readonly complete: boolean;
  readonly stacks: StackSummary[];
  readonly warnings: string[];
}

function noContext(what: string): GateError {
  return new GateError(
    `${what} carries no tenant context, so residency and framework rules cannot decide: ${CONTEXT_HINT}`,
  );
}

/** A plan / HCL input without one managed resource that is not being deleted: nothing to gate (exit 2). */
function assertNotEmpty(resources: readonly ResourceModel[], what: string): void {
  if (resources.some((r) => r.mode === "managed" && !r.actions.every((a) => a === "delete" || a === "forget"))) return;
  throw new GateError(
    `${what}: nothing to gate — no managed resource is created, updated or kept` +
      `${resources.length ? ` (only ${resources.length} data source(s))` : ""}; ` +
      `pass --allow-empty when an empty change set is intended`,
  );
}

export async function loadInputs(spec: InputSpec): Promise<LoadedInputs> {
  const kinds = [spec.synth ? 1 : 0, spec.plans?.length ? 1 : 0, spec.hcl?.length ? 1 : 0].reduce((a, b) => a + b, 0);
  if (kinds === 0) throw new GateError("nothing to gate: pass --synth <dir>, --plan <file…> or --hcl <dir…>");
  const match = spec.stackGlob ? (name: string) => minimatch(name, spec.stackGlob!) : undefined;
  const tenant = spec.tenant ?? null;
  const resources: ResourceModel[] = [];
  const deleted: ResourceModel[] = [];
  const stacks: StackSummary[] = [];
  const warnings: string[] = [];
  let complete = false;
  if (spec.synth) {
    const s = normalizeSynth(spec.synth, { stackFilter: match, root: spec.root });
    complete = s.complete && kinds === 1;
    for (const st of s.stacks) {
      if (!st.hasZonegateContext && !tenant) throw noContext(`synth stack ${st.name}`);
    }
    const byName = new Map(s.stacks.map((x) => [x.name, x] as const));
    const perStack = new Map<string, { file: string; n: number }>();
    for (const r of s.resources) {
      const st = byName.get(r.stack);
      if (st && !st.hasZonegateContext) resources.push({ ...r, tenant });
      else if (tenant && !r.tenant) {
        // `--tenant`/`--residency` applies to every input lacking a tenant, platform stacks included.
        resources.push({ ...r, context: { ...r.context, residency: tenant.residency } });
      } else resources.push(r);
      const c = perStack.get(r.stack);
      if (c) c.n++;
      else perStack.set(r.stack, { file: r.source.file, n: 1 });
    }
    for (const st of s.stacks) {
      stacks.push({
        name: st.name,
        kind: "synth",
        file: perStack.get(st.name)?.file ?? st.file,
        tenant: st.hasZonegateContext ? (st.tenant?.id ?? null) : (tenant?.id ?? null),
        env: st.context?.env ?? st.tenant?.env,
        resources: perStack.get(st.name)?.n ?? 0,
      });
    }
  }
  for (const file of spec.plans ?? []) {
    if (!tenant) throw noContext(`plan ${file}`);
    const stack = spec.planStacks?.[file];
    const p = normalizePlan(
      file,
      {
        tenant,
        stack,
        context: stack ? spec.contexts?.[stack] : undefined,
        root: spec.root,
      },
      spec.onPlanParsed,
    );
    if (match && !match(p.stack)) continue;
    // Outright deletes are gated too (the lifecycle rules judge them): only a plan with neither is empty.
    if (!spec.allowEmpty && !p.deleted.length) assertNotEmpty(p.resources, `plan ${displayPath(file, spec.root)}`);
    resources.push(...p.resources);
    deleted.push(...p.deleted);
    stacks.push({
      name: p.stack,
      kind: "plan",
      file: p.resources[0]?.source.file ?? file,
      tenant: tenant.id,
      env: tenant.env,
      resources: p.resources.length,
    });
  }
  for (const dir of spec.hcl ?? []) {
    if (!tenant) throw noContext(`HCL directory ${dir}`);
    const h = await normalizeHcl(dir, { tenant, root: spec.root });
    if (match && !match(h.stack)) continue;
    if (!spec.allowEmpty) assertNotEmpty(h.resources, `HCL directory ${displayPath(dir, spec.root)}`);
    resources.push(...h.resources);
    warnings.push(...h.warnings);
    stacks.push({
      name: h.stack,
      kind: "hcl",
      file: h.files[0],
      tenant: tenant.id,
      env: tenant.env,
      resources: h.resources.length,
    });
  }
  const keys = new Set<string>();
  for (const r of resources) {
    if (keys.has(r.key))
      throw new GateError(`two inputs define the same resource ${r.key}; give each input a distinct stack name`);
    keys.add(r.key);
  }
  if (match && stacks.length === 0) throw new GateError(`--stack "${spec.stackGlob}" matches no stack in the input`);
  return { resources, complete, stacks, warnings, ...(deleted.length ? { deleted } : {}) };
}
