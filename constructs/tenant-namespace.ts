/**
 * TenantNamespace — a tenant's namespace on a cluster (the shared platform cluster for standard tenants, or the
 * tenant's own dedicated cluster), isolated by default.
 *
 * Always on (not props):
 *  - namespace labels: `zonegate.io/tenant`, `zonegate.io/data-classification` (which also make Kyverno's
 *    `require-default-deny-networkpolicy` generate a `default-deny` NetworkPolicy here) and Pod Security Admission
 *    `restricted` (enforce in prod/staging, warn+audit in dev — defence in depth under Kyverno);
 *  - a NetworkPolicy selecting every pod with both policy types whose only allowances are ingress from the
 *    platform ingress namespace and DNS egress to kube-dns — so no other tenant's pods can reach it, and it can
 *    reach no other tenant (NetworkPolicies are allow-lists; everything not listed is denied);
 *  - a LimitRange with default requests/limits (filled in before Kyverno's `require-resource-limits` validates);
 *  - with `quota`: a ResourceQuota on CPU/memory requests and limits and pods, and zero LoadBalancer/NodePort
 *    services (tenants are reachable only through the platform ingress);
 *  - the tenant's namespaced Kyverno policies, when given.
 * Namespaces are matched by the immutable `kubernetes.io/metadata.name` label, which tenants cannot forge.
 *
 * Satisfies: none
 */
import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { Environment } from "../lib/tenant/types";
import type { KyvernoPolicy } from "../lib/kyverno/types";
import { DATA_CLASSIFICATION_LABEL, PLATFORM_INGRESS_NAMESPACE, TENANT_LABEL } from "../lib/kyverno/policies";
import { KyvernoPolicies } from "./kyverno-policies";

/** Name of the NetworkPolicy this construct writes (the Kyverno-generated one is `default-deny`). */
export const TENANT_NETWORK_POLICY = "default-deny-except-platform";
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface TenantNamespaceProps {
  /** Tenant id (label value). Required. */
  readonly tenantId: string;
  /** Data classification (label value). Required. */
  readonly dataClassification: string;
  /** Environment: PSA enforce vs. warn. Required. */
  readonly env: Environment;
  /**
   * Namespace name.
   * @default the tenant id
   */
  readonly namespace?: string;
  /**
   * Resource quota (standard tier: tenant.cluster.quota).
   * @default none (a dedicated cluster is bounded by its node pool autoscaler)
   */
  readonly quota?: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /**
   * Namespace of the platform ingress controller, the only allowed ingress source.
   * @default PLATFORM_INGRESS_NAMESPACE ("platform-ingress")
   */
  readonly ingressNamespace?: string;
  /**
   * Namespaced Kyverno policies to create in the namespace.
   * @default []
   */
  readonly policies?: readonly KyvernoPolicy[];
  /**
   * Resources that must exist before the Kyverno policies (the Kyverno Helm release / CRDs).
   * @default []
   */
  readonly policiesDependOn?: ITerraformDependable[];
  /** @default the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
  /**
   * Resources the namespace is created after (e.g. Kyverno's generate policy, so it generates `default-deny`).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The NetworkPolicy spec (plain Kubernetes JSON; exported so tests can evaluate isolation). */
export function tenantNetworkPolicySpec(ingressNamespace: string) {
  return {
    podSelector: {},
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ingressNamespace } } }] }],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { port: "53", protocol: "UDP" },
          { port: "53", protocol: "TCP" },
        ],
      },
    ],
  };
}

export class TenantNamespace extends Construct {
  public readonly namespace: NamespaceV1;
  public readonly networkPolicy: NetworkPolicyV1;
  public readonly limitRange: LimitRangeV1;
  public readonly quota?: ResourceQuotaV1;
  public readonly policies?: KyvernoPolicies;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const name = props.namespace ?? props.tenantId;
    if (!/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      throw new Error(`${this.node.path}: namespace "${name}" is not a DNS label`);
    }
    if (name === (props.ingressNamespace ?? PLATFORM_INGRESS_NAMESPACE) || name.startsWith("kube-")) {
      throw new Error(`${this.node.path}: "${name}" is reserved for the platform`);
    }
    this.name = name;
    const enforce = props.env !== "dev";
    const labels = {
      [TENANT_LABEL]: props.tenantId,
      [DATA_CLASSIFICATION_LABEL]: props.dataClassification,
      "app.kubernetes.io/managed-by": "zonegate",
      "pod-security.kubernetes.io/enforce": enforce ? "restricted" : "baseline",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    };
    this.namespace = new NamespaceV1(this, "namespace", {
      provider: props.provider,
      metadata: { name, labels },
      dependsOn: props.dependsOn,
    });
    const meta = (n: string) => ({
      name: n,
      namespace: this.namespace.metadata.name,
      labels: { [TENANT_LABEL]: props.tenantId },
    });

    const np = tenantNetworkPolicySpec(props.ingressNamespace ?? PLATFORM_INGRESS_NAMESPACE);
    this.networkPolicy = new NetworkPolicyV1(this, "network-policy", {
      provider: props.provider,
      metadata: meta(TENANT_NETWORK_POLICY),
      spec: {
        podSelector: {},
        policyTypes: np.policyTypes,
        ingress: np.ingress,
        egress: np.egress,
      },
    });

    this.limitRange = new LimitRangeV1(this, "limit-range", {
      provider: props.provider,
      metadata: meta("default-limits"),
      spec: {
        limit: [
          {
            type: "Container",
            default: { cpu: "500m", memory: "512Mi" },
            defaultRequest: { cpu: "100m", memory: "128Mi" },
          },
        ],
      },
    });

    if (props.quota) {
      const q = props.quota;
      if (!Number.isInteger(q.pods) || q.pods < 1) throw new Error(`${this.node.path}: quota.pods must be ≥ 1`);
      this.quota = new ResourceQuotaV1(this, "quota", {
        provider: props.provider,
        metadata: meta("tenant-quota"),
        spec: {
          hard: {
            "requests.cpu": q.cpu,
            "limits.cpu": q.cpu,
            "requests.memory": q.memory,
            "limits.memory": q.memory,
            pods: String(q.pods),
            "services.loadbalancers": "0",
            "services.nodeports": "0",
          },
        },
      });
    }

    if (props.policies && props.policies.length > 0) {
      for (const p of props.policies) {
        if (p.kind !== "Policy" || p.metadata.namespace !== name) {
          throw new Error(`${this.node.path}: ${p.kind} ${p.metadata.name} is not a Policy of namespace ${name}`);
        }
      }
      this.policies = new KyvernoPolicies(this, "policies", {
        policies: props.policies,
        provider: props.provider,
        dependsOn: [this.namespace, ...(props.policiesDependOn ?? [])],
      });
    }
  }
}
