/**
 * Building the policy input and evaluating it — one evaluation of `zonegate/gate/findings` for the whole
 * input. Anything unexpected from the policy is an evaluation error (exit 2, fail closed).
 */
import type { GateInput, OffboardingInput, PolicyResource, RawFinding, ResourceModel } from "./model";
import type { Bundle } from "./bundle";
import { GateError } from "./errors";
import { computeEffective, type EffectiveOptions } from "./effective";

/** The policy's view of one resource: only the fields rules read (docs/architecture.md "Gate input"). */
function policyResource(r: ResourceModel, effective: PolicyResource["effective"]): PolicyResource {
  // One object per resource (this runs for every resource of every input); the optional fields are added in
  // a fixed order, so the serialized input is the same as before.
  return {
    key: r.key,
    type: r.type,
    mode: r.mode,
    actions: r.actions,
    values: r.values,
    unknown: r.unknown,
    refs: r.refs,
    stack: r.stack,
    tenant: r.tenant,
    ...(r.context === undefined ? {} : { context: r.context }),
    ...(r.providerSource === undefined ? {} : { provider_source: r.providerSource }),
    ...(r.before === undefined ? {} : { before: r.before }),
    ...(effective === undefined ? {} : { effective }),
  };
}

/** Plan-only inputs: outright deletes (after the other resources, in no by_type list) and declarations. */
export interface GateInputExtras {
  readonly deleted?: readonly ResourceModel[];
  readonly offboarding?: Readonly<Record<string, OffboardingInput>>;
}

/**
 * The policy input: the slim view of every resource plus, where the effective stage (lib/gate/effective)
 * computed one, its `effective` configuration; then the plan-only extras.
 */
export function buildGateInput(
  resources: readonly ResourceModel[],
  complete: boolean,
  extras: GateInputExtras & EffectiveOptions = {},
): GateInput {
  const effective = computeEffective(resources, extras);
  const byType: Record<string, number[]> = {};
  const deleted = extras.deleted ?? [];
  const slim: PolicyResource[] = new Array<PolicyResource>(resources.length + deleted.length);
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    (byType[r.type] ??= []).push(i);
    slim[i] = policyResource(r, effective[i]);
  }
  const deletedIdx: number[] = [];
  for (let j = 0; j < deleted.length; j++) {
    slim[resources.length + j] = policyResource(deleted[j], undefined);
    deletedIdx.push(resources.length + j);
  }
  return {
    resources: slim,
    by_type: byType,
    complete,
    ...(deletedIdx.length ? { deleted: deletedIdx } : {}),
    ...(extras.offboarding && Object.keys(extras.offboarding).length ? { offboarding: extras.offboarding } : {}),
  };
}

export function evaluate(bundle: Bundle, input: GateInput): RawFinding[] {
  let rs: unknown;
  try {
    rs = bundle.policy.evaluate(input, bundle.entrypoint);
  } catch (e) {
    throw new GateError(`policy evaluation failed: ${(e as Error).message}`);
  }
  return checkResultSet(rs, bundle.entrypoint, input.resources.length);
}

/**
 * The findings of an opa-wasm result set for an input of `n` resources (here or from an evaluation worker,
 * lib/gate/parallel.ts); anything but a set of well-formed findings is an evaluation error.
 */
export function checkResultSet(rs: unknown, entrypoint: string, n: number): RawFinding[] {
  if (!Array.isArray(rs) || rs.length === 0 || !rs[0] || typeof rs[0] !== "object" || !("result" in rs[0])) {
    throw new GateError(`policy evaluation returned no result for ${entrypoint} (undefined); refusing to pass`);
  }
  const result = (rs[0] as { result: unknown }).result;
  if (!Array.isArray(result)) throw new GateError(`policy evaluation: ${entrypoint} is not a set of findings`);
  return result.map((f, i) => {
    const x = f as Record<string, unknown>;
    if (
      !x ||
      typeof x.rule !== "string" ||
      !Number.isInteger(x.resource) ||
      (x.resource as number) < 0 ||
      (x.resource as number) >= n
    ) {
      throw new GateError(`policy evaluation: malformed finding #${i}: ${JSON.stringify(f).slice(0, 200)}`);
    }
    return {
      rule: x.rule,
      resource: x.resource as number,
      message: typeof x.message === "string" ? x.message : String(x.message ?? ""),
      ...(x.unknown === true ? { unknown: true } : {}),
    };
  });
}
