/**
 * Kyverno policies as typed code.
 *
 * Names (stable, referenced by the gate and by operators):
 *  - `disallow-latest-tag`                   images must carry a tag, and not `:latest`
 *  - `require-resource-limits`               CPU/memory requests and limits on every (init) container
 *  - `restricted-pod-security`               Pod Security Standards "restricted" (no privileged, no host
 *                                            namespaces/paths/ports, run as non-root, drop ALL capabilities,
 *                                            no privilege escalation, seccomp RuntimeDefault/Localhost)
 *  - `require-default-deny-networkpolicy`    generate rule: a `default-deny` NetworkPolicy in every tenant namespace
 *  - `allowed-registries`                    images only from the tenant's registries
 *  - `require-labels`                        `zonegate.io/tenant` and `zonegate.io/data-classification` on pods
 *
 * Dedicated clusters (premium/enterprise) get all six as ClusterPolicies with the tenant's values. The shared
 * platform cluster gets all six as ClusterPolicies too, tenant-independent: allowed-registries is the union of the
 * served tenants' registries and require-labels only demands the labels exist, in tenant namespaces; each standard
 * tenant's compute stack adds namespaced `Policy` objects (`allowed-registries`, `require-labels` with its own
 * values) in its namespace, which narrow those to the tenant.
 *
 * Enforcement (per-rule `validate.failureAction`, Kyverno ≥ 1.13):
 *  - prod    → Enforce, webhook failurePolicy Fail (fail closed; Kyverno runs HA);
 *  - staging → Enforce, failurePolicy Fail: staging is where a release proves it will be admitted in prod, so it must
 *              reject exactly what prod rejects — an Audit-only staging would let a non-compliant workload pass every
 *              pre-prod check and fail for the first time in prod;
 *  - dev     → Audit, failurePolicy Ignore: developers see policy reports without being blocked.
 */
import type { Environment, Tenant } from "../tenant/types";
import type { FailureAction, KyvernoPolicy, MatchResources, PolicyAnnotations, Rule, Severity } from "./types";

export const KYVERNO_API_VERSION = "kyverno.io/v1";
/** Kyverno Helm chart version (chart 3.3.6 ships Kyverno v1.13.4, the version whose CRDs the tests validate against). */
export const KYVERNO_CHART_VERSION = "3.3.6";
export const KYVERNO_APP_VERSION = "v1.13.4";
export const KYVERNO_NAMESPACE = "kyverno";

/** Label that marks a namespace (and its pods) as belonging to a tenant. */
export const TENANT_LABEL = "zonegate.io/tenant";
/** Label carrying the data classification of a workload. */
export const DATA_CLASSIFICATION_LABEL = "zonegate.io/data-classification";
/** Namespace of the platform ingress controller; the only source tenant namespaces accept traffic from. */
export const PLATFORM_INGRESS_NAMESPACE = "platform-ingress";
/** Name of the NetworkPolicy the generate rule creates in every tenant namespace. */
export const GENERATED_DEFAULT_DENY = "default-deny";

/** System namespaces excluded from workload policies (AKS add-ons, Kyverno itself, Azure Policy's Gatekeeper). */
export const SYSTEM_NAMESPACES: readonly string[] = [
  "kube-system",
  "kube-public",
  "kube-node-lease",
  KYVERNO_NAMESPACE,
  "gatekeeper-system",
  "aks-command",
  "app-routing-system",
];

export const POLICY_NAMES = [
  "disallow-latest-tag",
  "require-resource-limits",
  "restricted-pod-security",
  "require-default-deny-networkpolicy",
  "allowed-registries",
  "require-labels",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Enforce in prod and staging, Audit in dev (see the module comment for why staging enforces). */
export function failureActionFor(env: Environment): FailureAction {
  switch (env) {
    case "prod":
    case "staging":
      return "Enforce";
    case "dev":
      return "Audit";
  }
}

/** Where a policy lives: cluster-wide (with system namespaces excluded) or as a namespaced `Policy`. */
export type PolicyScope = { readonly kind: "cluster" } | { readonly kind: "namespace"; readonly namespace: string };

export interface PolicyOptions {
  readonly env: Environment;
  readonly scope: PolicyScope;
}

const LABEL_VALUE_RE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_LABEL_RE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** host[:port][/path] in lowercase, no Kyverno pattern operators (`*`, `?`, `|`, `!`, `&`, `<`, `>`). */
const REGISTRY_RE = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:\/[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)?$/;

function checkLabelValue(what: string, v: string): string {
  if (!LABEL_VALUE_RE.test(v)) throw new Error(`${what} ${JSON.stringify(v)} is not a valid Kubernetes label value`);
  return v;
}

/** Validate a registry prefix so it can be used in a Kyverno pattern without being read as an operator. */
export function checkRegistry(r: string): string {
  if (!REGISTRY_RE.test(r)) {
    throw new Error(`allowed registry ${JSON.stringify(r)} must be host[:port][/path] (lowercase, no wildcards)`);
  }
  return r;
}

function annotations(title: string, category: string, severity: Severity, description: string): PolicyAnnotations {
  return {
    "policies.kyverno.io/title": title,
    "policies.kyverno.io/category": category,
    "policies.kyverno.io/severity": severity,
    "policies.kyverno.io/subject": "Pod",
    "policies.kyverno.io/minversion": "1.13.0",
    "policies.kyverno.io/description": description,
    "kyverno.io/kyverno-version": KYVERNO_APP_VERSION.replace(/^v/, ""),
  };
}

const PODS: MatchResources = { any: [{ resources: { kinds: ["Pod"] } }] };

function podMatch(scope: PolicyScope, namespaceSelector?: MatchResources["any"]): Pick<Rule, "match" | "exclude"> {
  if (scope.kind === "namespace") return { match: PODS };
  return {
    match: namespaceSelector ? { any: namespaceSelector } : PODS,
    exclude: { any: [{ resources: { namespaces: SYSTEM_NAMESPACES } }] },
  };
}

function policy(
  name: PolicyName,
  opts: PolicyOptions,
  ann: PolicyAnnotations,
  rules: Rule[],
  background = true,
): KyvernoPolicy {
  const enforce = failureActionFor(opts.env) === "Enforce";
  return {
    apiVersion: KYVERNO_API_VERSION,
    kind: opts.scope.kind === "cluster" ? "ClusterPolicy" : "Policy",
    metadata: {
      name,
      ...(opts.scope.kind === "namespace" ? { namespace: opts.scope.namespace } : {}),
      annotations: ann,
      labels: { "app.kubernetes.io/managed-by": "zonegate", "zonegate.io/env": opts.env },
    },
    spec: {
      admission: true,
      background,
      webhookConfiguration: { failurePolicy: enforce ? "Fail" : "Ignore", timeoutSeconds: 15 },
      rules,
    },
  };
}

function containerPattern(item: Record<string, unknown>): Record<string, unknown> {
  return {
    spec: {
      containers: [item],
      "=(initContainers)": [item],
      "=(ephemeralContainers)": [item],
    },
  };
}

export function disallowLatestTag(opts: PolicyOptions): KyvernoPolicy {
  const fa = failureActionFor(opts.env);
  return policy(
    "disallow-latest-tag",
    opts,
    annotations(
      "Disallow Latest Tag",
      "Best Practices",
      "medium",
      "Images must be pinned to an explicit tag (or digest) other than `latest`, so what runs is what was scanned and approved (PCI DSS 6.3.2, 6.5.1).",
    ),
    [
      {
        name: "require-image-tag",
        ...podMatch(opts.scope),
        validate: {
          failureAction: fa,
          message: "An image tag is required (untagged images resolve to `latest`).",
          pattern: containerPattern({ image: "*:*" }),
        },
      },
      {
        name: "validate-image-tag",
        ...podMatch(opts.scope),
        validate: {
          failureAction: fa,
          message: "Using the mutable image tag `latest` is not allowed.",
          pattern: containerPattern({ image: "!*:latest" }),
        },
      },
    ],
  );
}

export function requireResourceLimits(opts: PolicyOptions): KyvernoPolicy {
  const resources = {
    resources: { requests: { memory: "?*", cpu: "?*" }, limits: { memory: "?*", cpu: "?*" } },
  };
  return policy(
    "require-resource-limits",
    opts,
    annotations(
      "Require Resource Requests and Limits",
      "Best Practices, Multi-Tenancy",
      "medium",
      "Every container must declare CPU and memory requests and limits, so one workload cannot starve others on a shared node (noisy neighbour, availability).",
    ),
    [
      {
        name: "validate-resources",
        ...podMatch(opts.scope),
        validate: {
          failureAction: failureActionFor(opts.env),
          message: "CPU and memory requests and limits are required on every container and init container.",
          pattern: { spec: { containers: [resources], "=(initContainers)": [resources] } },
        },
      },
    ],
  );
}

export function restrictedPodSecurity(opts: PolicyOptions): KyvernoPolicy {
  return policy(
    "restricted-pod-security",
    opts,
    annotations(
      "Restricted Pod Security",
      "Pod Security Standards (Restricted)",
      "high",
      "Pods must meet the Kubernetes Pod Security Standards `restricted` profile: no privileged containers, no host namespaces, host paths or host ports, run as non-root, drop ALL capabilities, no privilege escalation, seccomp RuntimeDefault.",
    ),
    [
      {
        name: "restricted",
        ...podMatch(opts.scope),
        validate: {
          failureAction: failureActionFor(opts.env),
          message: "The pod violates the Pod Security Standards `restricted` profile.",
          podSecurity: { level: "restricted", version: "latest" },
        },
      },
    ],
  );
}

/** Generate rule: every tenant-labelled namespace gets (and keeps — synchronize) a deny-all NetworkPolicy. */
export function requireDefaultDenyNetworkPolicy(opts: { readonly env: Environment }): KyvernoPolicy {
  return policy(
    "require-default-deny-networkpolicy",
    { env: opts.env, scope: { kind: "cluster" } },
    {
      ...annotations(
        "Require Default-Deny NetworkPolicy",
        "Multi-Tenancy, Network Security",
        "high",
        "Every tenant namespace gets a `default-deny` NetworkPolicy denying all ingress and egress; traffic must be allowed explicitly. `synchronize` re-creates it if it is changed or deleted (PCI DSS 1.3.1, zero trust east-west).",
      ),
      "policies.kyverno.io/subject": "Namespace, NetworkPolicy",
    },
    [
      {
        name: "generate-default-deny",
        match: {
          any: [
            {
              resources: {
                kinds: ["Namespace"],
                selector: { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] },
              },
            },
          ],
        },
        generate: {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          name: GENERATED_DEFAULT_DENY,
          namespace: "{{request.object.metadata.name}}",
          synchronize: true,
          generateExisting: true,
          data: {
            metadata: { labels: { "app.kubernetes.io/managed-by": "kyverno" } },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
          },
        },
      },
    ],
  );
}

export function allowedRegistries(opts: PolicyOptions, registries: readonly string[]): KyvernoPolicy {
  if (registries.length === 0) throw new Error("allowed-registries needs at least one registry");
  const image = registries.map((r) => `${checkRegistry(r)}/*`).join(" | ");
  return policy(
    "allowed-registries",
    opts,
    annotations(
      "Allowed Image Registries",
      "Supply Chain Security",
      "high",
      `Images may only be pulled from the tenant's approved registries: ${registries.join(", ")}.`,
    ),
    [
      {
        name: "validate-registries",
        ...podMatch(opts.scope),
        validate: {
          failureAction: failureActionFor(opts.env),
          message: `Images must come from an approved registry: ${registries.join(", ")}.`,
          pattern: containerPattern({ image }),
        },
      },
    ],
  );
}

export interface RequiredLabelValues {
  /** Required value of the tenant label; omitted = the label must exist with any value. */
  readonly tenant?: string;
  /** Required value of the data-classification label; omitted = any non-empty value. */
  readonly dataClassification?: string;
  /** Only pods in namespaces carrying the tenant label (the shared cluster's baseline). */
  readonly tenantNamespacesOnly?: boolean;
}

export function requireLabels(opts: PolicyOptions, values: RequiredLabelValues = {}): KyvernoPolicy {
  const tenant = values.tenant === undefined ? "?*" : checkLabelValue("tenant", values.tenant);
  const dc =
    values.dataClassification === undefined ? "?*" : checkLabelValue("dataClassification", values.dataClassification);
  const nsSelector: MatchResources["any"] = values.tenantNamespacesOnly
    ? [
        {
          resources: {
            kinds: ["Pod"],
            namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] },
          },
        },
      ]
    : undefined;
  return policy(
    "require-labels",
    opts,
    annotations(
      "Require Tenant and Data-Classification Labels",
      "Multi-Tenancy, Data Governance",
      "medium",
      `Pods must carry \`${TENANT_LABEL}\` and \`${DATA_CLASSIFICATION_LABEL}\` labels, so ownership and data handling are known for every workload (GDPR art. 30, PCI DSS 12.5.2).`,
    ),
    [
      {
        name: "check-labels",
        ...podMatch(opts.scope, nsSelector),
        validate: {
          failureAction: failureActionFor(opts.env),
          message: `Labels ${TENANT_LABEL}=${tenant === "?*" ? "<tenant>" : tenant} and ${DATA_CLASSIFICATION_LABEL}=${dc === "?*" ? "<classification>" : dc} are required.`,
          pattern: { metadata: { labels: { [TENANT_LABEL]: tenant, [DATA_CLASSIFICATION_LABEL]: dc } } },
        },
      },
    ],
  );
}

/** All six ClusterPolicies of a tenant's dedicated cluster. */
export function dedicatedClusterPolicies(tenant: Tenant, env: Environment): KyvernoPolicy[] {
  const opts: PolicyOptions = { env, scope: { kind: "cluster" } };
  return [
    disallowLatestTag(opts),
    requireResourceLimits(opts),
    restrictedPodSecurity(opts),
    requireDefaultDenyNetworkPolicy({ env }),
    allowedRegistries(opts, tenant.cluster.allowedRegistries),
    requireLabels(opts, { tenant: tenant.id, dataClassification: tenant.dataClassification }),
  ];
}

/**
 * The ClusterPolicies of the shared platform cluster. `allowed-registries` here is the union of the served
 * tenants' registries (plus the platform's own, e.g. for the ingress namespace): a cluster-wide ceiling; each
 * tenant namespace is narrowed further to its own registries by its namespaced `allowed-registries` Policy.
 */
export function sharedClusterPolicies(
  env: Environment,
  registries: readonly string[] = ["mcr.microsoft.com"],
): KyvernoPolicy[] {
  const opts: PolicyOptions = { env, scope: { kind: "cluster" } };
  return [
    disallowLatestTag(opts),
    requireResourceLimits(opts),
    restrictedPodSecurity(opts),
    requireDefaultDenyNetworkPolicy({ env }),
    allowedRegistries(opts, [...new Set(registries)].sort()),
    requireLabels(opts, { tenantNamespacesOnly: true }),
  ];
}

/** Namespaced policies of a standard tenant on the shared cluster, scoped to its namespace. */
export function tenantNamespacePolicies(tenant: Tenant, env: Environment, namespace: string): KyvernoPolicy[] {
  if (!DNS_LABEL_RE.test(namespace)) throw new Error(`namespace ${JSON.stringify(namespace)} is not a DNS label`);
  const opts: PolicyOptions = { env, scope: { kind: "namespace", namespace } };
  return [
    allowedRegistries(opts, tenant.cluster.allowedRegistries),
    requireLabels(opts, { tenant: tenant.id, dataClassification: tenant.dataClassification }),
  ];
}
