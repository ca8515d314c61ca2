// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import * as fs from "node:fs";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { Release } from "@cdktf/provider-helm/lib/release";
import * as yaml from "js-yaml";
import { buildEstate } from "../../stacks/app";
import { maintenanceWindowFor, standardUtcOffset } from "../../stacks/compute-stack";
import { PLATFORM_ADDRESS_SPACE, PlatformClusterStack } from "../../stacks/platform-cluster-stack";
import { testTenant } from "../helpers/tenants";
import { crdProblems } from "./kyverno-schema";
import { allowed, type Cluster, type NetworkPolicy } from "./netpol-eval";
import { GENERATED_DEFAULT_DENY, PLATFORM_INGRESS_NAMESPACE, TENANT_LABEL } from "../../lib/kyverno/policies";
import type { Tenant } from "../../lib/tenant/types";

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const enterprise = testTenant({ id: "northwind-bank", tier: "enterprise", environments: ["dev", "staging", "prod"] });
const premium = testTenant({
  id: "contoso-pay",
  tier: "premium",
  environments: ["dev"],
  regions: [{ name: "westeurope", addressSpace: "10.30.0.0/16" }],
});
const fabrikam: Tenant = {
  ...testTenant({
    id: "fabrikam",
    tier: "standard",
    environments: ["dev", "prod"],
    regions: [{ name: "westeurope", addressSpace: "10.60.0.0/22" }],
  }),
  cluster: {
    ...testTenant().cluster,
    quota: { cpu: "4", memory: "16Gi", pods: 40 },
    allowedRegistries: ["fabrikamacr.azurecr.io"],
  },
};
const tailspin = testTenant({
  id: "tailspin",
  tier: "standard",
  environments: ["prod"],
  regions: [{ name: "westeurope", addressSpace: "10.61.0.0/22" }],
});

const app: App = Testing.app();
const entries = buildEstate(app, [enterprise, premium, fabrikam, tailspin], { backend: "local", env: {} });
// A full app synth, so cross-stack references and the "//" context are what `cdktf synth` writes.
app.synth();
const cache = new Map<string, Json>();
function synth(name: string): Json {
  if (!cache.has(name)) {
    cache.set(name, JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json);
  }
  return cache.get(name)!;
}
const str = (name: string) => JSON.stringify(synth(name));
const resources = (name: string, type: string): Json[] => Object.values(synth(name).resource?.[type] ?? {});

describe("topology per tier", () => {
  const names = entries.map((e) => e.stackName);

  test("dedicated clusters for premium/enterprise; one platform cluster per env × region with standard tenants", () => {
    expect(names.filter((n) => n.endsWith("-compute")).sort()).toEqual(
      [
        "contoso-pay-dev-westeurope-compute",
        "fabrikam-dev-westeurope-compute",
        "fabrikam-prod-westeurope-compute",
        "northwind-bank-dev-westeurope-compute",
        "northwind-bank-prod-westeurope-compute",
        "northwind-bank-staging-westeurope-compute",
        "platform-dev-westeurope-compute",
        "platform-prod-westeurope-compute",
        "tailspin-prod-westeurope-compute",
      ].sort(),
    );
    for (const n of [
      "northwind-bank-prod-westeurope-compute",
      "contoso-pay-dev-westeurope-compute",
      "platform-prod-westeurope-compute",
    ]) {
      expect(resources(n, "azurerm_kubernetes_cluster")).toHaveLength(1);
      expect(resources(n, "helm_release")).toHaveLength(1);
    }
    // platform stacks are built before the tenant stacks that use them
    expect(names.indexOf("platform-prod-westeurope-compute")).toBeLessThan(
      names.indexOf("tailspin-prod-westeurope-compute"),
    );
  });

  test("a standard tenant's compute stack has no cluster: namespace, quota, limit range, network policy, namespaced policies", () => {
    const n = "fabrikam-prod-westeurope-compute";
    const s = str(n);
    expect(s).not.toHaveResource(KubernetesCluster);
    expect(s).not.toHaveResource(Release);
    expect(resources(n, "kubernetes_namespace_v1")).toEqual([
      expect.objectContaining({
        metadata: {
          name: "fabrikam",
          labels: expect.objectContaining({
            [TENANT_LABEL]: "fabrikam",
            "zonegate.io/data-classification": "confidential",
            "pod-security.kubernetes.io/enforce": "restricted",
          }),
        },
      }),
    ]);
    expect(resources(n, "kubernetes_resource_quota_v1")[0].spec.hard).toEqual({
      "requests.cpu": "4",
      "limits.cpu": "4",
      "requests.memory": "16Gi",
      "limits.memory": "16Gi",
      pods: "40",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
    expect(resources(n, "kubernetes_limit_range_v1")[0].spec.limit[0]).toMatchObject({
      type: "Container",
      default: { cpu: "500m", memory: "512Mi" },
    });
    expect(resources(n, "kubernetes_network_policy_v1")).toHaveLength(1);
    const pols = resources(n, "kubernetes_manifest").map((m) => m.manifest);
    expect(pols.map((p) => [p.kind, p.metadata.namespace, p.metadata.name])).toEqual([
      ["Policy", "fabrikam", "allowed-registries"],
      ["Policy", "fabrikam", "require-labels"],
    ]);
    expect(JSON.stringify(pols[0])).toContain("fabrikamacr.azurecr.io/*");
    // the kubernetes provider points at the platform cluster through its remote state — no credentials
    const k8s = synth(n).provider.kubernetes[0];
    expect(k8s.host).toMatch(
      /terraform_remote_state\.cross-stack-reference-input-platform-prod-westeurope-compute\.outputs/,
    );
    expect(k8s.exec[0]).toMatchObject({
      command: "kubelogin",
      args: expect.arrayContaining(["get-token", "--server-id"]),
    });
    for (const bad of ["token", "client_key", "client_certificate", "password", "config_path"])
      expect(k8s).not.toHaveProperty(bad);
  });

  test("the platform cluster stack: name, backend key, context, its own network/DES/workspace, shared ClusterPolicies", () => {
    const n = "platform-prod-westeurope-compute";
    const j = synth(n);
    expect(j["//"].zonegate).toMatchObject({
      stack: n,
      backendKey: "platform/prod/westeurope/compute.tfstate",
      tenant: null,
      platform: true,
      tenants: ["fabrikam", "tailspin"],
    });
    expect(j.terraform.backend.local.path).toContain("platform/prod/westeurope/compute.tfstate");
    for (const t of [
      "azurerm_virtual_network",
      "azurerm_disk_encryption_set",
      "azurerm_log_analytics_workspace",
      "azurerm_key_vault",
      "azurerm_network_watcher_flow_log",
      "azurerm_storage_account",
    ]) {
      expect(resources(n, t)).toHaveLength(1);
    }
    expect(resources(n, "azurerm_virtual_network")[0].address_space).toEqual([PLATFORM_ADDRESS_SPACE]);
    const aks = resources(n, "azurerm_kubernetes_cluster")[0];
    // its own DES and workspace (same stack), not a tenant's
    expect(aks.disk_encryption_set_id).toMatch(/^\$\{azurerm_disk_encryption_set\./);
    expect(aks.oms_agent.log_analytics_workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\./);
    expect(
      resources(n, "kubernetes_manifest")
        .map((m) => m.manifest.metadata.name)
        .sort(),
    ).toEqual([
      "allowed-registries",
      "disallow-latest-tag",
      "require-default-deny-networkpolicy",
      "require-labels",
      "require-resource-limits",
      "restricted-pod-security",
    ]);
    // cluster-wide registry ceiling = union of the served tenants' registries (each namespace narrows it)
    const reg = resources(n, "kubernetes_manifest").find((m) => m.manifest.metadata.name === "allowed-registries")!;
    expect(reg.manifest.spec.rules[0].validate.pattern.spec.containers[0].image).toBe(
      "fabrikamacr.azurecr.io/* | mcr.microsoft.com/*",
    );
    expect(resources(n, "kubernetes_namespace_v1").map((x) => x.metadata.name)).toEqual([PLATFORM_INGRESS_NAMESPACE]);
    // the standard tenants' stacks carry no cluster or Kyverno of their own
    expect(str("tailspin-prod-westeurope-compute")).not.toHaveResource(KubernetesCluster);
  });

  test("the platform VNet must not overlap a served tenant's VNet", () => {
    const clash = testTenant({
      id: "clash",
      tier: "standard",
      regions: [{ name: "westeurope", addressSpace: "10.255.0.0/16" }],
    });
    expect(
      () =>
        new PlatformClusterStack(
          Testing.app(),
          { env: "prod", region: "westeurope", tenants: [clash] },
          { backend: "local", env: {} },
        ),
    ).toThrow(/overlaps/);
  });
});

describe("dedicated AKS cluster: secure settings", () => {
  const n = "northwind-bank-prod-westeurope-compute";

  test("private, Entra-only, Azure CNI + Cilium policy, workload identity, CMK, upgrades, add-ons", () => {
    expect(str(n)).toHaveResourceWithProperties(KubernetesCluster, {
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      workload_identity_enabled: true,
      oidc_issuer_enabled: true,
      automatic_upgrade_channel: "patch",
      node_os_upgrade_channel: "NodeImage",
      azure_policy_enabled: true,
      sku_tier: "Standard",
      run_command_enabled: false,
    });
    expect(resources(n, "azurerm_kubernetes_cluster")[0]).toMatchObject({
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        tenant_id: expect.stringMatching(/azurerm_client_config/),
      },
      network_profile: { network_plugin: "azure", network_policy: "cilium", network_data_plane: "cilium" },
      disk_encryption_set_id: expect.stringMatching(/security.*disk_encryption_set/),
      key_vault_secrets_provider: { secret_rotation_enabled: true },
      oms_agent: {
        log_analytics_workspace_id: expect.stringMatching(/foundation/),
        msi_auth_for_monitoring_enabled: true,
      },
      identity: { type: "UserAssigned" },
      private_dns_zone_id: expect.stringMatching(/network.*private_dns_zone/),
    });
    const aks = resources(n, "azurerm_kubernetes_cluster")[0];
    expect(aks.default_node_pool).toMatchObject({
      host_encryption_enabled: true,
      node_public_ip_enabled: false,
      only_critical_addons_enabled: true,
      zones: ["1", "2", "3"],
      vnet_subnet_id: expect.stringMatching(/subnet-aks/),
    });
    expect(aks.maintenance_window_auto_upgrade).toMatchObject({
      day_of_week: "Saturday",
      start_time: "02:00",
      duration: 4,
      utc_offset: "+01:00",
    });
  });

  test("user pool via azurerm_kubernetes_cluster_node_pool, zonal, host encryption, no public IPs, autoscaled", () => {
    expect(str(n)).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      mode: "User",
      host_encryption_enabled: true,
      node_public_ip_enabled: false,
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 10,
      zones: ["1", "2", "3"],
      vm_size: "Standard_D4s_v5",
    });
  });

  test("diagnostics through DiagnosticSettings, control-plane identity with scoped roles only", () => {
    expect(str(n)).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      target_resource_id: expect.stringMatching(/azurerm_kubernetes_cluster\./),
      enabled_log: [{ category_group: "allLogs" }],
    });
    const roles = resources(n, "azurerm_role_assignment")
      .map((r) => r.role_definition_name)
      .sort();
    expect(roles).toEqual(["Network Contributor", "Private DNS Zone Contributor", "Reader"]);
    expect(roles).not.toContain("Contributor");
    expect(roles).not.toContain("Owner");
  });

  test("providers use the cluster's endpoint and kubelogin, never a static credential", () => {
    const p = synth(n).provider;
    expect(p.kubernetes[0].host).toMatch(/azurerm_kubernetes_cluster\.\S+\.kube_config\[0\]\.host/);
    expect(p.helm[0].kubernetes.exec.command).toBe("kubelogin");
    expect(str(n)).not.toMatch(/kube_admin_config/);
  });

  test("Kyverno: pinned chart in its own namespace, HA in prod, six Enforce ClusterPolicies after the release", () => {
    const rel = resources(n, "helm_release")[0];
    expect(rel).toMatchObject({
      chart: "kyverno",
      repository: "https://kyverno.github.io/kyverno/",
      version: "3.3.6",
      namespace: "kyverno",
      create_namespace: true,
      atomic: true,
    });
    const values = yaml.load(rel.values[0]) as Json;
    expect(values.admissionController.replicas).toBe(3);
    expect(values.features.policyExceptions.enabled).toBe(false);
    const manifests = resources(n, "kubernetes_manifest");
    expect(manifests).toHaveLength(6);
    for (const m of manifests) {
      expect(m.depends_on).toEqual([expect.stringMatching(/^helm_release\./)]);
      expect(crdProblems(m.manifest)).toEqual([]);
      for (const r of m.manifest.spec.rules) if (r.validate) expect(r.validate.failureAction).toBe("Enforce");
    }
  });

  test("the tenant namespace on a dedicated cluster has no quota and waits for the generate policy", () => {
    const ns = resources(n, "kubernetes_namespace_v1").find((x) => x.metadata.name === "northwind-bank")!;
    expect(ns.depends_on.some((d: string) => d.includes("cpol-require-default-deny-networkpolicy"))).toBe(true);
    expect(resources(n, "kubernetes_resource_quota_v1")).toHaveLength(0);
  });
});

describe("enforcement per environment on synthesized stacks", () => {
  const actions = (n: string) =>
    resources(n, "kubernetes_manifest").flatMap((m) =>
      m.manifest.spec.rules.filter((r: Json) => r.validate).map((r: Json) => r.validate.failureAction),
    );

  test("prod and staging Enforce, dev Audit; dev is cheaper but still private/Entra-only", () => {
    expect(new Set(actions("northwind-bank-prod-westeurope-compute"))).toEqual(new Set(["Enforce"]));
    expect(new Set(actions("northwind-bank-staging-westeurope-compute"))).toEqual(new Set(["Enforce"]));
    expect(new Set(actions("northwind-bank-dev-westeurope-compute"))).toEqual(new Set(["Audit"]));
    expect(new Set(actions("platform-dev-westeurope-compute"))).toEqual(new Set(["Audit"]));
    expect(new Set(actions("fabrikam-dev-westeurope-compute"))).toEqual(new Set(["Audit"]));
    expect(new Set(actions("tailspin-prod-westeurope-compute"))).toEqual(new Set(["Enforce"]));
    const dev = resources("contoso-pay-dev-westeurope-compute", "azurerm_kubernetes_cluster")[0];
    expect(dev).toMatchObject({ sku_tier: "Free", private_cluster_enabled: true, local_account_disabled: true });
    const values = yaml.load(resources("contoso-pay-dev-westeurope-compute", "helm_release")[0].values[0]) as Json;
    expect(values.admissionController.replicas).toBe(1);
  });
});

describe("tenant isolation on the shared cluster", () => {
  function clusterState(env: "prod"): Cluster {
    const namespaces: Cluster["namespaces"] = { "kube-system": {}, [PLATFORM_INGRESS_NAMESPACE]: {} };
    const policies: NetworkPolicy[] = [];
    for (const t of ["fabrikam", "tailspin"]) {
      const n = `${t}-${env}-westeurope-compute`;
      const ns = resources(n, "kubernetes_namespace_v1")[0];
      namespaces[ns.metadata.name] = ns.metadata.labels;
      for (const np of resources(n, "kubernetes_network_policy_v1")) {
        policies.push({
          namespace: ns.metadata.name,
          spec: {
            podSelector: {},
            policyTypes: np.spec.policy_types,
            ingress: np.spec.ingress.map(toK8s),
            egress: np.spec.egress.map(toK8s),
          },
        });
      }
    }
    // what Kyverno's generate rule adds to every tenant-labelled namespace
    const gen = resources(`platform-${env}-westeurope-compute`, "kubernetes_manifest").find(
      (m) => m.manifest.metadata.name === "require-default-deny-networkpolicy",
    )!.manifest.spec.rules[0].generate;
    expect(gen.name).toBe(GENERATED_DEFAULT_DENY);
    for (const [ns, labels] of Object.entries(namespaces))
      if (labels[TENANT_LABEL]) policies.push({ namespace: ns, spec: gen.data.spec });
    return { namespaces, policies };
  }
  // Terraform's snake_case blocks → Kubernetes JSON
  function toK8s(rule: Json): Json {
    const peers = (rule.from ?? rule.to ?? []).map((p: Json) => ({
      ...(p.namespace_selector ? { namespaceSelector: { matchLabels: p.namespace_selector.match_labels } } : {}),
      ...(p.pod_selector ? { podSelector: { matchLabels: p.pod_selector.match_labels } } : {}),
    }));
    return { ...(rule.from ? { from: peers } : { to: peers }), ports: rule.ports };
  }

  test("no tenant namespace admits another tenant's pods, in either direction", () => {
    const c = clusterState("prod");
    const a = { namespace: "fabrikam", labels: { app: "api" } };
    const b = { namespace: "tailspin", labels: { app: "api" } };
    expect(allowed(c, a, b)).toBe(false);
    expect(allowed(c, b, a)).toBe(false);
    expect(allowed(c, a, b, 53, "UDP")).toBe(false);
  });

  test("only the platform ingress gets in, and only DNS gets out", () => {
    const c = clusterState("prod");
    const pod = { namespace: "fabrikam", labels: { app: "api" } };
    const ingress = { namespace: PLATFORM_INGRESS_NAMESPACE, labels: { app: "ingress-nginx" } };
    const dns = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
    const otherSystem = { namespace: "kube-system", labels: { app: "metrics-server" } };
    expect(allowed(c, ingress, pod)).toBe(true);
    expect(allowed(c, pod, dns, 53, "UDP")).toBe(true);
    expect(allowed(c, pod, dns, 53, "TCP")).toBe(true);
    expect(allowed(c, pod, dns, 443, "TCP")).toBe(false);
    expect(allowed(c, pod, otherSystem, 53, "UDP")).toBe(false);
    expect(allowed(c, pod, ingress)).toBe(false);
    // a pod in an unlabelled namespace (e.g. a tenant-created one) cannot impersonate the ingress namespace
    const impostor = { namespace: "fake", labels: { app: "ingress-nginx" } };
    expect(
      allowed(
        { ...c, namespaces: { ...c.namespaces, fake: { "kubernetes.io/metadata.name": PLATFORM_INGRESS_NAMESPACE } } },
        impostor,
        pod,
      ),
    ).toBe(false);
  });
});

describe("change window → AKS maintenance window", () => {
  test("first allowed day, start and length; standard-time UTC offset; none under 4 hours", () => {
    expect(
      maintenanceWindowFor({ days: ["sun", "sat"], start: "01:30", durationHours: 6, timezone: "America/New_York" }),
    ).toEqual({
      dayOfWeek: "Sunday",
      startTime: "01:30",
      durationHours: 6,
      utcOffset: "-05:00",
    });
    expect(standardUtcOffset("UTC")).toBe("+00:00");
    expect(standardUtcOffset("Asia/Kolkata")).toBe("+05:30");
    expect(maintenanceWindowFor({ days: ["sat"], start: "02:00", durationHours: 2, timezone: "UTC" })).toBeUndefined();
  });
});
