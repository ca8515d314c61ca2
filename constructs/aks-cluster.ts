/**
 * AksCluster — a private, Entra-ID-only AKS cluster, secure by default.
 *
 * Always on (not props): private API server with no public FQDN; Entra ID integration with Azure RBAC and
 * local accounts disabled (so no static admin kubeconfig exists); Azure CNI (overlay) with the Cilium data
 * plane and Cilium network policy; OIDC issuer + workload identity; OS disks encrypted with the tenant's disk
 * encryption set (CMK) and host encryption on every pool; no public IPs on nodes; the system pool runs critical
 * add-ons only; automatic patch upgrades and node-image upgrades; Azure Policy add-on; Key Vault secrets provider
 * with rotation; container insights (OMS, managed-identity auth) and Defender to the tenant workspace; image
 * cleaner; run-command disabled; all resource logs and metrics through the audit layer's DiagnosticSettings.
 *
 * The control plane runs as a user-assigned identity created here, with just the roles AKS needs on the
 * tenant's resources: Network Contributor on the node subnet, Private DNS Zone Contributor on a custom
 * private DNS zone (when one is given) and Reader on the disk encryption set.
 *
 * etcd encryption with a customer-managed key (`key_management_service`) is optional: with a private Key Vault
 * it needs API Server VNet Integration, i.e. a subnet delegated to Microsoft.ContainerService/managedClusters,
 * which the landing-zone network does not carve today (see `kms`).
 *
 * Satisfies: ZG-AKS-001, ZG-AKS-002, ZG-AKS-003, ZG-AKS-004, ZG-AKS-005, ZG-AKS-006, ZG-AKS-007, ZG-AKS-008,
 *   ZG-AKS-009, ZG-AKS-010, ZG-AKS-011, ZG-IAM-001, ZG-IAM-002
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import type { Environment } from "../lib/tenant/types";
import { DiagnosticSettings } from "./diagnostic-settings";

/** Entra ID application (server) id of the AKS AAD integration, the audience kubelogin requests tokens for. */
export const AKS_AAD_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/**
 * Regions without availability zones (ARM spelling). Zonal resources there are deployed without `zones`.
 * Conservative: a region missing here that has no zones makes the deployment fail loudly, not silently weaker.
 */
export const NON_ZONAL_REGIONS: readonly string[] = [
  "westus",
  "northcentralus",
  "westcentralus",
  "francesouth",
  "germanynorth",
  "norwaywest",
  "switzerlandwest",
  "ukwest",
  "canadaeast",
  "brazilsoutheast",
  "australiacentral",
  "australiacentral2",
  "australiasoutheast",
  "southindia",
  "westindia",
  "japanwest",
  "swedensouth",
];

/** Availability zones to spread a zonal resource over in `region` (`[]` where the region has none). */
export function availabilityZones(region: string, count = 3): string[] {
  if (NON_ZONAL_REGIONS.includes(region)) return [];
  return ["1", "2", "3"].slice(0, count);
}

export type KubeloginMode = "azurecli" | "workloadidentity" | "spn" | "msi";

export interface NodePoolSizing {
  /** VM size. */
  readonly vmSize: string;
  /** Autoscaler minimum. */
  readonly minCount: number;
  /** Autoscaler maximum. */
  readonly maxCount: number;
}

export interface MaintenanceWindowProps {
  /** Weekday as AKS spells it (`Monday` … `Sunday`). */
  readonly dayOfWeek: string;
  /** Start `HH:MM`. */
  readonly startTime: string;
  /** Hours (AKS requires at least 4). */
  readonly durationHours: number;
  /** UTC offset `+HH:MM` / `-HH:MM`. */
  readonly utcOffset: string;
}

export interface AksKmsProps {
  /** Versioned Key Vault key id for etcd encryption. */
  readonly keyVaultKeyId: string;
  /** Key Vault id (scope of the Key Vault Crypto User role for the control-plane identity). */
  readonly keyVaultId: string;
  /** Subnet delegated to Microsoft.ContainerService/managedClusters for API Server VNet Integration. */
  readonly apiServerSubnetId: string;
}

export interface AksClusterProps {
  /** Cluster name. Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region. Required. */
  readonly location: string;
  /** Environment: drives the SKU tier and the default pool sizes. Required. */
  readonly env: Environment;
  /** DNS prefix of the private API server FQDN. Required. */
  readonly dnsPrefix: string;
  /** Subnet of the node pools (the network layer's `aks` subnet). Required. */
  readonly subnetId: string;
  /** Disk encryption set (CMK) for node OS disks (the security layer's DES). Required. */
  readonly diskEncryptionSetId: string;
  /** Log Analytics workspace for OMS, Defender and diagnostics (the foundation layer's workspace). Required. */
  readonly workspaceId: string;
  /** User node pool sizing (tenant.cluster). Required. */
  readonly userPool: NodePoolSizing;
  /**
   * System node pool sizing.
   * @default Standard_D4s_v5, min 3 / max 5 in prod and staging, min 1 / max 3 in dev
   */
  readonly systemPool?: NodePoolSizing;
  /**
   * Private DNS zone of the API server (`privatelink.<region>.azmk8s.io`, the network layer's `aks` zone).
   * @default "System" (AKS manages a zone in the node resource group)
   */
  readonly privateDnsZoneId?: string;
  /**
   * Entra ID tenant of the cluster's AAD integration.
   * @default the tenant of the deploying identity (data.azurerm_client_config)
   */
  readonly entraTenantId?: string;
  /**
   * Entra ID groups granted cluster-admin (Azure RBAC also applies).
   * @default [] (access only through Azure RBAC role assignments)
   */
  readonly adminGroupObjectIds?: readonly string[];
  /**
   * Kubernetes version (minor or patch); the `patch` channel keeps the patch current.
   * @default unset (AKS default version at creation)
   */
  readonly kubernetesVersion?: string;
  /**
   * SKU tier.
   * @default "Standard" (financially backed API server SLA) in prod and staging, "Free" in dev
   */
  readonly skuTier?: "Free" | "Standard" | "Premium";
  /** @default "patch" */
  readonly automaticUpgradeChannel?: "patch" | "stable" | "rapid" | "node-image";
  /** @default "NodeImage" */
  readonly nodeOsUpgradeChannel?: "NodeImage" | "SecurityPatch" | "Unmanaged";
  /**
   * Planned maintenance window for automatic upgrades (both channels).
   * @default unset (AKS chooses)
   */
  readonly maintenanceWindow?: MaintenanceWindowProps;
  /**
   * Egress path. `userDefinedRouting` needs the subnet's default route to go to a firewall
   * (constructs/egress-firewall.ts; the stacks use it in prod, where ZG-EGR-001 requires it); `loadBalancer`
   * egresses unfiltered through the cluster's Standard LB public IP.
   * @default "loadBalancer"
   */
  readonly outboundType?: "loadBalancer" | "userDefinedRouting" | "managedNATGateway" | "userAssignedNATGateway";
  /**
   * Availability zones for all pools.
   * @default 1, 2, 3 (none in regions without zones, see NON_ZONAL_REGIONS)
   */
  readonly zones?: readonly string[];
  /** @default "192.168.0.0/16" (overlay pod CIDR; must not overlap peered networks) */
  readonly podCidr?: string;
  /** @default "172.31.0.0/16" */
  readonly serviceCidr?: string;
  /** @default "172.31.0.10" */
  readonly dnsServiceIp?: string;
  /**
   * etcd encryption with a customer-managed key (needs API Server VNet Integration, see the file comment).
   * @default unset (etcd encrypted at rest with platform-managed keys)
   */
  readonly kms?: AksKmsProps;
  /** @default true */
  readonly defenderEnabled?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Resources the cluster waits for besides its role assignments (e.g. the route table association of a
   * userDefinedRouting subnet in the same stack).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Connection settings for the kubernetes/helm providers (no static credential: Entra ID tokens via kubelogin). */
export interface KubeAccess {
  readonly host: string;
  readonly clusterCaCertificate: string;
  readonly exec: { readonly apiVersion: string; readonly command: string; readonly args: string[] };
}

/** The kubelogin exec plugin configuration for an AAD-only cluster. */
export function kubeloginExec(mode: KubeloginMode = "azurecli"): KubeAccess["exec"] {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "kubelogin",
    args: ["get-token", "--login", mode, "--server-id", AKS_AAD_SERVER_APP_ID],
  };
}

export class AksCluster extends Construct {
  public readonly cluster: KubernetesCluster;
  public readonly userPool: KubernetesClusterNodePool;
  /** The control-plane identity. */
  public readonly identity: UserAssignedIdentity;
  public readonly roleAssignments: RoleAssignment[];
  public readonly diagnostics: DiagnosticSettings;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const prod = props.env !== "dev";
    const zones = props.zones ? [...props.zones] : availabilityZones(props.location);
    const system = props.systemPool ?? {
      vmSize: "Standard_D4s_v5",
      minCount: prod ? 3 : 1,
      maxCount: prod ? 5 : 3,
    };
    checkSizing("systemPool", system);
    checkSizing("userPool", props.userPool);
    const privateDnsZoneId = props.privateDnsZoneId ?? "System";
    const tags = props.tags ?? {};

    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `id-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags,
    });
    const assign = (rid: string, scopeId: string, role: string) =>
      new RoleAssignment(this, rid, {
        scope: scopeId,
        roleDefinitionName: role,
        principalId: this.identity.principalId,
        principalType: "ServicePrincipal",
        description: `zonegate: AKS ${props.name} control plane`,
      });
    this.roleAssignments = [
      assign("subnet-network-contributor", props.subnetId, "Network Contributor"),
      assign("des-reader", props.diskEncryptionSetId, "Reader"),
    ];
    if (privateDnsZoneId !== "System" && privateDnsZoneId !== "None") {
      this.roleAssignments.push(assign("dns-zone-contributor", privateDnsZoneId, "Private DNS Zone Contributor"));
    }
    if (props.kms) {
      this.roleAssignments.push(assign("kms-crypto-user", props.kms.keyVaultId, "Key Vault Crypto User"));
      this.roleAssignments.push(
        assign("apiserver-subnet-network-contributor", props.kms.apiServerSubnetId, "Network Contributor"),
      );
    }

    const entraTenantId = props.entraTenantId ?? new DataAzurermClientConfig(this, "client-config", {}).tenantId;
    // What every node pool (system and user) carries: encryption at host, no public IPs, the tenant's subnet,
    // availability zones, Azure Linux, autoscaling and bounded surge upgrades.
    const nodePoolBase = {
      autoScalingEnabled: true,
      hostEncryptionEnabled: true,
      nodePublicIpEnabled: false,
      vnetSubnetId: props.subnetId,
      zones: zones.length ? zones : undefined,
      osSku: "AzureLinux",
      osDiskType: "Managed",
      upgradeSettings: { maxSurge: "33%" },
      tags,
    };
    const window = props.maintenanceWindow;
    // The same weekly window for Kubernetes upgrades and node OS images.
    const maintenanceWindow = window
      ? {
          frequency: "Weekly",
          interval: 1,
          dayOfWeek: window.dayOfWeek,
          startTime: window.startTime,
          duration: window.durationHours,
          utcOffset: window.utcOffset,
        }
      : undefined;
    if (window && window.durationHours < 4) throw new Error(`${this.node.path}: maintenance windows need ≥ 4 hours`);

    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.dnsPrefix,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? (prod ? "Standard" : "Free"),
      // Private API server, no public FQDN.
      privateClusterEnabled: true,
      privateClusterPublicFqdnEnabled: false,
      privateDnsZoneId,
      // Entra ID only: Azure RBAC for Kubernetes authorization, no local (certificate) accounts.
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: entraTenantId,
        adminGroupObjectIds: props.adminGroupObjectIds ? [...props.adminGroupObjectIds] : undefined,
      },
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      diskEncryptionSetId: props.diskEncryptionSetId,
      automaticUpgradeChannel: props.automaticUpgradeChannel ?? "patch",
      nodeOsUpgradeChannel: props.nodeOsUpgradeChannel ?? "NodeImage",
      azurePolicyEnabled: true,
      runCommandEnabled: false,
      httpApplicationRoutingEnabled: false,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: "2m" },
      omsAgent: { logAnalyticsWorkspaceId: props.workspaceId, msiAuthForMonitoringEnabled: true },
      microsoftDefender: (props.defenderEnabled ?? true) ? { logAnalyticsWorkspaceId: props.workspaceId } : undefined,
      keyManagementService: props.kms
        ? { keyVaultKeyId: props.kms.keyVaultKeyId, keyVaultNetworkAccess: "Private" }
        : undefined,
      apiServerAccessProfile: props.kms
        ? { subnetId: props.kms.apiServerSubnetId, virtualNetworkIntegrationEnabled: true }
        : undefined,
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: "cilium",
        networkPolicy: "cilium",
        loadBalancerSku: "standard",
        outboundType: props.outboundType ?? "loadBalancer",
        podCidr: props.podCidr ?? "192.168.0.0/16",
        serviceCidr: props.serviceCidr ?? "172.31.0.0/16",
        dnsServiceIp: props.dnsServiceIp ?? "172.31.0.10",
      },
      defaultNodePool: {
        name: "system",
        vmSize: system.vmSize,
        minCount: system.minCount,
        maxCount: system.maxCount,
        onlyCriticalAddonsEnabled: true,
        temporaryNameForRotation: "systemtmp",
        ...nodePoolBase,
      },
      maintenanceWindowAutoUpgrade: maintenanceWindow,
      maintenanceWindowNodeOs: maintenanceWindow,
      tags,
      dependsOn: [...this.roleAssignments, ...(props.dependsOn ?? [])],
    });

    this.userPool = new KubernetesClusterNodePool(this, "user-pool", {
      name: "user",
      kubernetesClusterId: this.cluster.id,
      mode: "User",
      vmSize: props.userPool.vmSize,
      minCount: props.userPool.minCount,
      maxCount: props.userPool.maxCount,
      temporaryNameForRotation: "usertmp",
      ...nodePoolBase,
    });

    this.diagnostics = new DiagnosticSettings(this, "diagnostics", {
      targetResourceId: this.cluster.id,
      workspaceId: props.workspaceId,
      dedicatedTables: true,
    });
  }

  /** Private API server endpoint, CA and the kubelogin exec plugin, for the kubernetes/helm providers. */
  public kubeAccess(mode: KubeloginMode = "azurecli"): KubeAccess {
    const cfg = this.cluster.kubeConfig.get(0);
    return {
      host: cfg.host,
      clusterCaCertificate: Fn.base64decode(cfg.clusterCaCertificate),
      exec: kubeloginExec(mode),
    };
  }
}

function checkSizing(what: string, s: NodePoolSizing): void {
  if (!Number.isInteger(s.minCount) || !Number.isInteger(s.maxCount) || s.minCount < 1 || s.maxCount < s.minCount) {
    throw new Error(`${what}: need 1 ≤ minCount ≤ maxCount (got ${s.minCount}..${s.maxCount})`);
  }
}
