// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import {
  NAMESPACE_NAME_LABEL,
  TENANT_NETWORK_POLICY,
  TenantNamespace,
  tenantNetworkPolicySpec,
  type TenantNamespaceProps,
} from "../../constructs/tenant-namespace";
import {
  DATA_CLASSIFICATION_LABEL,
  PLATFORM_INGRESS_NAMESPACE,
  TENANT_LABEL,
  sharedClusterPolicies,
  tenantNamespacePolicies,
} from "../../lib/kyverno/policies";
import { testTenant } from "../helpers/tenants";
import { all, parse } from "../helpers/synth";

Testing.setupJest();

const props: TenantNamespaceProps = { tenantId: "northwind-bank", dataClassification: "confidential", env: "prod" };
const synth = (p: Partial<TenantNamespaceProps> = {}) =>
  Testing.synthScope((s) => {
    new TenantNamespace(s, "ns", { ...props, ...p });
  });

describe("TenantNamespace", () => {
  const out = synth();
  const tf = parse(out);

  it("labels the namespace with tenant, classification and Pod Security restricted (baseline enforced in dev)", () => {
    const labels = (env: TenantNamespaceProps["env"]) => ({
      [TENANT_LABEL]: "northwind-bank",
      [DATA_CLASSIFICATION_LABEL]: "confidential",
      "app.kubernetes.io/managed-by": "zonegate",
      "pod-security.kubernetes.io/enforce": env === "dev" ? "baseline" : "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    expect(out).toHaveResourceWithProperties(NamespaceV1, {
      metadata: { name: "northwind-bank", labels: labels("prod") },
    });
    expect(synth({ env: "dev", namespace: "nw" })).toHaveResourceWithProperties(NamespaceV1, {
      metadata: { name: "nw", labels: labels("dev") },
    });
  });

  it("denies all traffic but ingress from the platform ingress namespace and DNS to kube-dns", () => {
    const [np] = all(tf, "kubernetes_network_policy_v1");
    expect((np.metadata as Record<string, unknown>).name).toBe(TENANT_NETWORK_POLICY);
    const spec = np.spec as Record<string, unknown>;
    expect(spec.pod_selector).toEqual({});
    expect(spec.policy_types).toEqual(["Ingress", "Egress"]);
    expect(spec.ingress).toEqual([
      { from: [{ namespace_selector: { match_labels: { [NAMESPACE_NAME_LABEL]: PLATFORM_INGRESS_NAMESPACE } } }] },
    ]);
    expect(spec.egress).toEqual([
      {
        to: [
          {
            namespace_selector: { match_labels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
            pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { port: "53", protocol: "UDP" },
          { port: "53", protocol: "TCP" },
        ],
      },
    ]);
    expect(tenantNetworkPolicySpec("ingress-x").ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      [NAMESPACE_NAME_LABEL]: "ingress-x",
    });
  });

  it("sets default container limits, and no quota unless given one", () => {
    expect(out).toHaveResourceWithProperties(LimitRangeV1, {
      spec: {
        limit: [
          {
            type: "Container",
            default: { cpu: "500m", memory: "512Mi" },
            default_request: { cpu: "100m", memory: "128Mi" },
          },
        ],
      },
    });
    expect(out).not.toHaveResource(ResourceQuotaV1);
    expect(all(tf, "kubernetes_manifest")).toHaveLength(0);
  });

  it("caps requests, limits and pods with a quota and allows no LoadBalancer or NodePort services", () => {
    expect(synth({ quota: { cpu: "8", memory: "32Gi", pods: 100 } })).toHaveResourceWithProperties(ResourceQuotaV1, {
      spec: {
        hard: {
          "requests.cpu": "8",
          "limits.cpu": "8",
          "requests.memory": "32Gi",
          "limits.memory": "32Gi",
          pods: "100",
          "services.loadbalancers": "0",
          "services.nodeports": "0",
        },
      },
    });
    expect(() => synth({ quota: { cpu: "1", memory: "1Gi", pods: 0 } })).toThrow(/quota.pods/);
  });

  it("applies the tenant's namespaced Kyverno policies after the namespace", () => {
    const policies = tenantNamespacePolicies(testTenant(), "prod", "northwind-bank");
    const manifests = all(parse(synth({ policies })), "kubernetes_manifest");
    expect(manifests).toHaveLength(policies.length);
    for (const m of manifests) expect(m.depends_on).toEqual([expect.stringContaining("kubernetes_namespace_v1.")]);
    expect(() => synth({ policies: sharedClusterPolicies("prod").slice(0, 1) })).toThrow(
      /is not a Policy of namespace/,
    );
    expect(() => synth({ namespace: "other", policies })).toThrow(/is not a Policy of namespace other/);
  });

  it("refuses names that are not DNS labels or belong to the platform", () => {
    expect(() => synth({ namespace: "Bad_Name" })).toThrow(/not a DNS label/);
    expect(() => synth({ namespace: PLATFORM_INGRESS_NAMESPACE })).toThrow(/reserved for the platform/);
    expect(() => synth({ namespace: "kube-tenant" })).toThrow(/reserved for the platform/);
  });
});
