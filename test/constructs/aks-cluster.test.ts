// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import {
  AKS_AAD_SERVER_APP_ID,
  AksCluster,
  availabilityZones,
  kubeloginExec,
  type AksClusterProps,
} from "../../constructs/aks-cluster";
import { all, parse } from "../helpers/synth";

Testing.setupJest();
const oc = expect.objectContaining;

const props: AksClusterProps = {
  name: "aks-t",
  resourceGroupName: "rg",
  location: "westeurope",
  env: "prod",
  dnsPrefix: "t",
  subnetId: "/snet-aks",
  diskEncryptionSetId: "/des",
  workspaceId: "/ws",
  userPool: { vmSize: "Standard_D8s_v5", minCount: 3, maxCount: 10 },
};
const synth = (p: Partial<AksClusterProps> = {}) =>
  Testing.synthScope((s) => {
    new AksCluster(s, "aks", { ...props, ...p });
  });

describe("AksCluster", () => {
  const out = synth();
  const tf = parse(out);
  const cluster = all(tf, "azurerm_kubernetes_cluster")[0];

  it("is private with no public FQDN, in the AKS-managed DNS zone by default (ZG-AKS-001)", () => {
    expect(out).toHaveResourceWithProperties(KubernetesCluster, {
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      private_dns_zone_id: "System",
    });
  });

  it("is Entra ID only: Azure RBAC on, local accounts off, tenant of the deployer by default (ZG-AKS-002/003)", () => {
    expect(out).toHaveResourceWithProperties(KubernetesCluster, {
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        tenant_id: expect.stringContaining("data.azurerm_client_config."),
      },
    });
    expect(out).toHaveDataSource(DataAzurermClientConfig);
    const own = synth({ entraTenantId: "tid", adminGroupObjectIds: ["g1"] });
    expect(own).not.toHaveDataSource(DataAzurermClientConfig);
    expect(own).toHaveResourceWithProperties(KubernetesCluster, {
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        tenant_id: "tid",
        admin_group_object_ids: ["g1"],
      },
    });
  });

  it("enforces Cilium network policy on Azure CNI overlay, with the documented CIDR defaults (ZG-AKS-004)", () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: "azure",
      network_plugin_mode: "overlay",
      network_data_plane: "cilium",
      network_policy: "cilium",
      load_balancer_sku: "standard",
      outbound_type: "loadBalancer",
      pod_cidr: "192.168.0.0/16",
      service_cidr: "172.31.0.0/16",
      dns_service_ip: "172.31.0.10",
    });
    expect(synth({ outboundType: "userDefinedRouting" })).toHaveResourceWithProperties(KubernetesCluster, {
      network_profile: oc({ outbound_type: "userDefinedRouting", network_policy: "cilium" }),
    });
  });

  it("encrypts disks with the CMK disk encryption set and at host, with no node public IPs (ZG-AKS-005/006/007)", () => {
    expect(cluster.disk_encryption_set_id).toBe("/des");
    const pools = [
      cluster.default_node_pool as Record<string, unknown>,
      ...all(tf, "azurerm_kubernetes_cluster_node_pool"),
    ];
    expect(pools).toHaveLength(2);
    for (const p of pools) {
      expect(p).toEqual(
        oc({
          host_encryption_enabled: true,
          node_public_ip_enabled: false,
          vnet_subnet_id: "/snet-aks",
          zones: ["1", "2", "3"],
          os_sku: "AzureLinux",
          auto_scaling_enabled: true,
        }),
      );
    }
  });

  it("runs the add-ons the rules require: OMS, Azure Policy, rotating secrets provider, Defender (ZG-AKS-008/009/011)", () => {
    expect(out).toHaveResourceWithProperties(KubernetesCluster, {
      oms_agent: { log_analytics_workspace_id: "/ws", msi_auth_for_monitoring_enabled: true },
      azure_policy_enabled: true,
      key_vault_secrets_provider: { secret_rotation_enabled: true, secret_rotation_interval: "2m" },
      microsoft_defender: { log_analytics_workspace_id: "/ws" },
      run_command_enabled: false,
      http_application_routing_enabled: false,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
    });
    expect(synth({ defenderEnabled: false })).not.toHaveResourceWithProperties(KubernetesCluster, {
      microsoft_defender: expect.anything(),
    });
  });

  it("upgrades automatically: patch channel and node images by default (ZG-AKS-010)", () => {
    expect(cluster.automatic_upgrade_channel).toBe("patch");
    expect(cluster.node_os_upgrade_channel).toBe("NodeImage");
    expect(cluster.maintenance_window_auto_upgrade).toBeUndefined();
    const windowed = parse(
      synth({
        maintenanceWindow: { dayOfWeek: "Saturday", startTime: "02:00", durationHours: 4, utcOffset: "+01:00" },
      }),
    );
    const c = all(windowed, "azurerm_kubernetes_cluster")[0];
    const w = { frequency: "Weekly", interval: 1, day_of_week: "Saturday", start_time: "02:00", duration: 4 };
    expect(c.maintenance_window_auto_upgrade).toEqual(oc({ ...w, utc_offset: "+01:00" }));
    expect(c.maintenance_window_node_os).toEqual(c.maintenance_window_auto_upgrade);
  });

  it("sizes the system pool per environment (Standard tier 3–5 outside dev, Free 1–3 in dev)", () => {
    expect(cluster.sku_tier).toBe("Standard");
    expect(cluster.default_node_pool).toEqual(
      oc({
        name: "system",
        vm_size: "Standard_D4s_v5",
        min_count: 3,
        max_count: 5,
        only_critical_addons_enabled: true,
      }),
    );
    expect(out).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      mode: "User",
      vm_size: "Standard_D8s_v5",
      min_count: 3,
      max_count: 10,
    });
    const dev = all(parse(synth({ env: "dev" })), "azurerm_kubernetes_cluster")[0];
    expect(dev.sku_tier).toBe("Free");
    expect(dev.default_node_pool).toEqual(oc({ min_count: 1, max_count: 3 }));
  });

  it("gives its control-plane identity only resource-scoped, non-privileged roles (ZG-IAM-001/002)", () => {
    const roles = (o: string) =>
      all(parse(o), "azurerm_role_assignment").map((r) => [r.role_definition_name, r.scope, r.principal_type]);
    expect(roles(out).sort()).toEqual([
      ["Network Contributor", "/snet-aks", "ServicePrincipal"],
      ["Reader", "/des", "ServicePrincipal"],
    ]);
    expect(cluster.identity).toEqual({ type: "UserAssigned", identity_ids: [expect.stringContaining("identity")] });
    expect(cluster.depends_on).toHaveLength(2);
    const withZone = synth({ privateDnsZoneId: "/zone-aks" });
    expect(withZone).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: "Private DNS Zone Contributor",
      scope: "/zone-aks",
    });
    expect(withZone).toHaveResourceWithProperties(KubernetesCluster, { private_dns_zone_id: "/zone-aks" });
  });

  it("encrypts etcd with the CMK through API Server VNet Integration when kms is given", () => {
    const o = synth({
      kms: { keyVaultKeyId: "https://kv/keys/kms/1", keyVaultId: "/kv", apiServerSubnetId: "/snet-api" },
    });
    expect(o).toHaveResourceWithProperties(KubernetesCluster, {
      key_management_service: { key_vault_key_id: "https://kv/keys/kms/1", key_vault_network_access: "Private" },
      api_server_access_profile: { subnet_id: "/snet-api", virtual_network_integration_enabled: true },
    });
    expect(o).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: "Key Vault Crypto User",
      scope: "/kv",
    });
    expect(cluster.key_management_service).toBeUndefined();
  });

  it("sends resource logs and metrics to Dedicated tables of the workspace", () => {
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      log_analytics_workspace_id: "/ws",
      log_analytics_destination_type: "Dedicated",
      target_resource_id: expect.stringContaining("azurerm_kubernetes_cluster."),
    });
  });

  it("rejects bad sizing and short maintenance windows, and offers no prop to weaken the cluster", () => {
    expect(() => synth({ userPool: { vmSize: "x", minCount: 5, maxCount: 2 } })).toThrow(/userPool: need 1 ≤ minCount/);
    expect(() => synth({ systemPool: { vmSize: "x", minCount: 0, maxCount: 2 } })).toThrow(/systemPool/);
    expect(() =>
      synth({ maintenanceWindow: { dayOfWeek: "Sunday", startTime: "01:00", durationHours: 2, utcOffset: "+00:00" } }),
    ).toThrow(/≥ 4 hours/);
    // @ts-expect-error the private cluster is not configurable
    const bad: AksClusterProps = { ...props, privateClusterEnabled: false };
    expect(synth({ ...bad, ...({ localAccountDisabled: false } as object) })).toHaveResourceWithProperties(
      KubernetesCluster,
      { private_cluster_enabled: true, local_account_disabled: true },
    );
  });
});

describe("availabilityZones and kubeloginExec", () => {
  it("spreads over three zones except where the region has none", () => {
    expect(availabilityZones("westeurope")).toEqual(["1", "2", "3"]);
    expect(availabilityZones("westeurope", 2)).toEqual(["1", "2"]);
    expect(availabilityZones("ukwest")).toEqual([]);
    const o = parse(synth({ location: "ukwest" }));
    expect(
      (all(o, "azurerm_kubernetes_cluster")[0].default_node_pool as Record<string, unknown>).zones,
    ).toBeUndefined();
  });

  it("gets Entra ID tokens through kubelogin for the AKS server application", () => {
    expect(kubeloginExec()).toEqual({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_APP_ID],
    });
    expect(kubeloginExec("workloadidentity").args[2]).toBe("workloadidentity");
  });
});
