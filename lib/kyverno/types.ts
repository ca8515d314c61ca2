/**
 * Typed subset of Kyverno's `kyverno.io/v1` ClusterPolicy / Policy (Kyverno 1.13).
 *
 * Only the fields zonegate uses are modelled; the authoritative check is the test that validates every generated
 * manifest against Kyverno's own CRD schema (test/fixtures/kyverno/kyverno.io_clusterpolicies.yaml).
 * Kyverno 1.13 deprecates `spec.validationFailureAction` in favour of the per-rule `validate.failureAction`; zonegate
 * sets only the per-rule field, on every validate rule, and the webhook failure policy through
 * `spec.webhookConfiguration.failurePolicy` (`spec.failurePolicy` is deprecated too).
 */

export type FailureAction = "Audit" | "Enforce";
export type Severity = "low" | "medium" | "high" | "critical";

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
  }[];
}

export interface ResourceFilter {
  readonly resources: {
    readonly kinds?: readonly string[];
    readonly namespaces?: readonly string[];
    readonly names?: readonly string[];
    readonly selector?: LabelSelector;
    readonly namespaceSelector?: LabelSelector;
    readonly operations?: readonly ("CREATE" | "UPDATE" | "DELETE" | "CONNECT")[];
  };
}

export interface MatchResources {
  readonly any?: readonly ResourceFilter[];
  readonly all?: readonly ResourceFilter[];
}

export interface ValidateRule {
  readonly message?: string;
  readonly failureAction: FailureAction;
  readonly pattern?: Readonly<Record<string, unknown>>;
  readonly anyPattern?: readonly Readonly<Record<string, unknown>>[];
  readonly podSecurity?: { readonly level: "baseline" | "restricted"; readonly version: string };
}

export interface GenerateRule {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly synchronize: boolean;
  readonly generateExisting?: boolean;
  readonly orphanDownstreamOnPolicyDelete?: boolean;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Rule {
  readonly name: string;
  readonly match: MatchResources;
  readonly exclude?: MatchResources;
  readonly validate?: ValidateRule;
  readonly generate?: GenerateRule;
}

export interface PolicyAnnotations {
  readonly "policies.kyverno.io/title": string;
  readonly "policies.kyverno.io/category": string;
  readonly "policies.kyverno.io/severity": Severity;
  readonly "policies.kyverno.io/description": string;
  readonly "policies.kyverno.io/subject": string;
  readonly [k: string]: string;
}

export interface PolicySpec {
  readonly admission: boolean;
  readonly background: boolean;
  readonly webhookConfiguration?: { readonly failurePolicy?: "Ignore" | "Fail"; readonly timeoutSeconds?: number };
  readonly rules: readonly Rule[];
}

export interface KyvernoPolicy {
  readonly apiVersion: "kyverno.io/v1";
  readonly kind: "ClusterPolicy" | "Policy";
  readonly metadata: {
    readonly name: string;
    /** Only for `Policy` (namespaced). */
    readonly namespace?: string;
    readonly annotations: PolicyAnnotations;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec: PolicySpec;
}
