/**
 * The gate's normalized resource model (design.md "Gate input contract").
 * Every input kind — CDKTF synth output, Terraform plan JSON, HCL/.tf.json directories — becomes a list of
 * these, so one Rego rule works on all of them.
 */
import type { Environment, Framework, Tier } from "../tenant/types";

export type SourceKind = "synth" | "plan" | "hcl";

export interface TenantContext {
  readonly id: string;
  readonly tier: Tier;
  /** Residency zone id (policies/data/residency.json). */
  readonly residency: string;
  readonly compliance: readonly Framework[];
  readonly env: Environment;
}

export interface ResourceModel {
  /** Globally unique key `<stack>::<address>`; `refs` values are keys. */
  readonly key: string;
  /** Terraform address, e.g. `module.net.azurerm_subnet.aks[0]` or (synth) `azurerm_key_vault.kv_1A2B3C`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** Provider short name, e.g. `azurerm`, `kubernetes`, `helm`. */
  readonly provider: string;
  /**
   * The provider's source address, normalized (`registry.terraform.io/hashicorp/azurerm`): plan
   * `provider_name`, or the module's `required_providers` (default `hashicorp/<local name>`) for synth and HCL.
   * A fork publishing the same resource types under another namespace is a different service (ZG-CAT-001/002).
   */
  readonly providerSource?: string;
  readonly mode: "managed" | "data";
  /** Planned actions (`create`, `update`, `no-op`, …). Synth and HCL inputs are `["create"]`. */
  readonly actions: readonly string[];
  /** Attribute values with Terraform (snake_case) names. Unknown leaves are `null` and listed in `unknown`. */
  readonly values: Record<string, unknown>;
  /**
   * Plan inputs only: the prior-state values (`change.before`) of an update, a replace or a delete, so
   * plan-only rules can see what is removed or weakened. Absent for creates, no-ops, synth and HCL.
   */
  readonly before?: Record<string, unknown>;
  /**
   * Dotted paths (`network_acls.0.default_action`, `tags.tenant`) whose value is known only after apply:
   * plan `after_unknown`, or an unresolved `${…}` expression in synth/HCL. Tri-state: a path is known
   * (in values, not here), unknown (here) or absent (in neither).
   */
  readonly unknown: readonly string[];
  /**
   * Attribute path → keys of the resources it references (`${azurerm_key_vault.kv.id}` → `<stack>::azurerm_key_vault.kv`).
   * Cross-stack (remote state) references are resolved to the source stack's resource where the input holds it.
   */
  readonly refs: Readonly<Record<string, readonly string[]>>;
  /**
   * Attribute path → the unresolved `${…}` expression found there (synth), for the few plan-time expressions
   * the effective stage can evaluate (e.g. `timeadd(plantimestamp(), "8760h")`). Never sent to the policy.
   */
  readonly expressions?: Readonly<Record<string, string>>;
  readonly source: {
    readonly kind: SourceKind;
    /** Repo-relative (or as given) path of the file the resource came from. */
    readonly file: string;
    readonly constructPath?: string;
    /** 1-based line of the resource's declaration in `file`, when the normalizer could find it. */
    readonly line?: number;
  };
  /** Stack name (synth) or the plan/HCL input's name. */
  readonly stack: string;
  /** Tenant context; null when the input carries none (the gate then requires --tenant/--residency). */
  readonly tenant: TenantContext | null;
  /**
   * Stack context from the synth comment (`"//".zonegate`): layer/env/region/backend key, and for platform
   * stacks `platform: true` plus the ids of the tenants they serve. Absent for plan/HCL inputs unless given.
   */
  readonly context?: StackContext;
}

export interface StackContext {
  readonly layer?: string;
  readonly env?: string;
  readonly region?: string;
  readonly backendKey?: string;
  readonly platform?: boolean;
  readonly tenants?: readonly string[];
  /**
   * Residency zone of a stack without a tenant (platform stacks): `--residency`/`--tenant` when given, else the
   * zone of `region` in policies/data/residency.json. Absent when neither decides (residency rules then report
   * the resource: a location that cannot be judged is never a pass).
   */
  readonly residency?: string;
}

/**
 * The slice of a ResourceModel the policy reads (no `address`, `name`, `provider`, `source`: no rule reads
 * them, and leaving them out shrinks the JSON handed to the Wasm). Findings join back by index.
 */
export type PolicyResource = Pick<
  ResourceModel,
  "key" | "type" | "mode" | "actions" | "values" | "unknown" | "refs" | "stack" | "tenant" | "context" | "before"
> & {
  /**
   * The configuration in force after apply, from the effective stage (lib/gate/effective): merged child
   * resources and derived facts; entries describing a gap carry `at`, the index of the resource that caused it.
   * Absent when no merge applies to the resource.
   */
  readonly effective?: Readonly<Record<string, unknown>>;
  /** The provider's normalized source address (ResourceModel.providerSource), judged by the catalogue. */
  readonly provider_source?: string;
};

/** A declared, signed-off offboarding of a tenant (`--offboarding <tenant>`, lib/delivery/offboarding.ts). */
export interface OffboardingInput {
  /** The WORM archive's immutability period has ended (declared retain-until date ≤ today). */
  readonly archive_released: boolean;
  readonly retain_until: string;
}

/** What the policy receives as `input` (one evaluation for the whole estate). */
export interface GateInput {
  /** Same order and length as the normalized ResourceModel[]; `RawFinding.resource` indexes both. */
  readonly resources: readonly PolicyResource[];
  /** Resource type → indices into `resources`, so rules never scan every resource. */
  readonly by_type: Readonly<Record<string, readonly number[]>>;
  /** True when the input is a whole synthesized estate; estate-scope rules (custom.scope: estate) run only then. */
  readonly complete: boolean;
  /**
   * Indices of resources a plan deletes outright (`["delete"]`): they follow the others in `resources`, with
   * their prior-state values, and are in no `by_type` list (only plan-only lifecycle rules read them).
   */
  readonly deleted?: readonly number[];
  /** Tenant id → declared offboarding; deletes of that tenant's protected resources are then expected. */
  readonly offboarding?: Readonly<Record<string, OffboardingInput>>;
}

/** What each rule yields (`deny contains f`); the aggregate entrypoint is `zonegate/gate/findings`. */
export interface RawFinding {
  readonly rule: string;
  /** Index into input.resources. */
  readonly resource: number;
  readonly message: string;
  /** True when the finding exists because a mandatory value is unknown until apply. */
  readonly unknown?: boolean;
}
