/**
 * PlatformClusterStack — the shared AKS cluster of one env × region for the standard-tier tenants there
 * (`platform-<env>-<region>-compute`, state `platform/<env>/<region>/compute.tfstate`).
 *
 * Decision: the platform cluster is a complete, self-contained landing zone in this one stack — it does not borrow
 * any tenant's network, keys or workspace (a shared cluster must not depend on, or be readable through, one
 * tenant's resources, and no tenant's lifecycle may take it down). The stack builds, with the same hardened
 * constructs the tenant layers use, a "platform tenant" context (id `platform`, tier standard, frameworks = the
 * union of the served tenants', retention = the longest any of them needs, residency = the region's zone):
 *  - foundation: resource group (+ CanNotDelete lock in prod), Log Analytics workspace;
 *  - network: its own VNet (PLATFORM_ADDRESS_SPACE, checked not to overlap any served tenant's VNet) with
 *    deny-by-default NSGs, privatelink DNS zones;
 *  - security: Key Vault (private, purge-protected) with CMKs, a disk encryption set;
 *  - audit: immutable (WORM) archive, workspace data export, VNet flow logs;
 *  - the cluster (AksCluster), Kyverno and the six ClusterPolicies (allowed-registries = union of the served
 *    tenants' registries, narrowed per namespace by each tenant's own Policy), and the platform ingress
 *    namespace. Tenant namespaces, quotas, network policies and per-tenant Kyverno Policies live in each standard
 *    tenant's own compute stack, which depends on this one.
 * Built only where at least one standard tenant has this env × region.
 */
import { Construct } from "constructs";
import * as ipaddr from "ipaddr.js";
import type { Environment, Framework, Tenant } from "../lib/tenant/types";
import { zoneOf } from "../lib/residency";
import { sharedClusterPolicies } from "../lib/kyverno/policies";
import { TenantFoundation } from "../constructs/tenant-foundation";
import { LandingZoneNetwork } from "../constructs/landing-zone-network";
import { PrivateDnsZones } from "../constructs/private-dns-zones";
import { TenantKeyVault } from "../constructs/key-vault";
import { CustomerManagedKeys } from "../constructs/customer-managed-keys";
import { DiskEncryptionSet } from "../constructs/disk-encryption-set";
import { ImmutableArchive, FLOW_LOG_CONTAINER } from "../constructs/immutable-archive";
import { WorkspaceDataExport, EXPORTED_TABLES } from "../constructs/workspace-data-export";
import { VnetFlowLogs, type ExistingNetworkWatcher } from "../constructs/vnet-flow-logs";
import { AksCluster } from "../constructs/aks-cluster";
import { clusterProviders, ingressNamespace } from "../constructs/cluster-common";
import { EgressFirewall } from "../constructs/egress-firewall";
import { allowedFqdnsOf } from "../lib/tenant/defaults";
import { DefenderForCloud } from "../constructs/defender-for-cloud";
import { SubscriptionActivityLog } from "../constructs/subscription-activity-log";
import { SecurityAlerts } from "../constructs/security-alerts";
import { escapeTerraformTemplate } from "../lib/gateway/xml";
import { Kyverno } from "../constructs/kyverno";
import { KyvernoPolicies } from "../constructs/kyverno-policies";
import { BaseStack, type BaseStackOptions } from "./base-stack";
import type { LayerDefinition } from "./layer";

/** Address space of every platform VNet (platform VNets are not peered with tenant VNets; each is its own). */
export const PLATFORM_ADDRESS_SPACE = "10.255.0.0/20";

export interface PlatformClusterStackContext {
  readonly env: Environment;
  readonly region: string;
  /** The standard-tier tenants this cluster serves (non-empty). */
  readonly tenants: readonly Tenant[];
  /** Every tenant with this env × region (their VNets must not overlap the platform's). @default tenants */
  readonly allTenants?: readonly Tenant[];
}

export interface PlatformClusterStackOptions extends BaseStackOptions {
  /** @default PLATFORM_ADDRESS_SPACE */
  readonly addressSpace?: string;
  /** Use an existing Network Watcher (one per subscription and region). @default create one */
  readonly existingNetworkWatcher?: ExistingNetworkWatcher;
  /**
   * Build the subscription-scope resources (Defender for Cloud, Activity Log export and alerts). Each platform
   * env × region has its own subscription (the shared cluster's landing zone is self-contained); set false only when
   * several platform stacks share one subscription and another one holds them.
   * @default true
   */
  readonly subscriptionScope?: boolean;
  /**
   * Who is told about the platform's security alerts (action group, Defender security contact).
   * @default the served tenants' security contacts
   */
  readonly securityContacts?: readonly string[];
}

function overlaps(a: string, b: string): boolean {
  const [na, pa] = ipaddr.parseCIDR(a);
  const [nb, pb] = ipaddr.parseCIDR(b);
  return na.match(nb, pb) || nb.match(na, pa);
}

/**
 * The "platform tenant" context the hardened tenant constructs are built with: strictest union of the served
 * tenants' compliance needs.
 */
export function platformTenant(
  env: Environment,
  region: string,
  tenants: readonly Tenant[],
  addressSpace: string,
): Tenant {
  if (tenants.length === 0) throw new Error(`platform ${env}/${region}: no tenants to serve`);
  const zone = zoneOf(region);
  if (!zone) throw new Error(`platform ${env}/${region}: region is in no residency zone`);
  const frameworks = [...new Set(tenants.flatMap((t) => t.frameworks))].sort() as Framework[];
  const max = (f: (t: Tenant) => number) => Math.max(...tenants.map(f));
  const first = tenants[0];
  return {
    ...first,
    id: "platform",
    displayName: "zonegate shared platform",
    tier: "standard",
    frameworks,
    residency: zone,
    regions: [{ name: region, addressSpace }],
    environments: [env],
    audit: {
      interactiveRetentionDays: max((t) => t.audit.interactiveRetentionDays),
      totalRetentionDays: max((t) => t.audit.totalRetentionDays),
      immutableRetentionDays: max((t) => t.audit.immutableRetentionDays),
    },
    dataClassification: [...new Set(tenants.map((t) => t.dataClassification))].sort().join(","),
    sourceFile: "stacks/platform-cluster-stack.ts",
  };
}

export class PlatformClusterStack extends BaseStack {
  public readonly platform: Tenant;
  public readonly foundation: TenantFoundation;
  public readonly network: LandingZoneNetwork;
  public readonly dns: PrivateDnsZones;
  public readonly keyVault: TenantKeyVault;
  public readonly keys: CustomerManagedKeys;
  public readonly diskEncryptionSet: DiskEncryptionSet;
  public readonly archive: ImmutableArchive;
  public readonly dataExport: WorkspaceDataExport;
  public readonly flowLogs: VnetFlowLogs;
  /** Prod only: the egress firewall the cluster's subnet routes through. */
  public readonly egress?: EgressFirewall;
  public readonly cluster: AksCluster;
  public readonly kyverno: Kyverno;
  public readonly clusterPolicies: KyvernoPolicies;
  /** Subscription-scope controls (each platform env × region is its own subscription). */
  public readonly defender?: DefenderForCloud;
  public readonly activityLog?: SubscriptionActivityLog;
  public readonly alerts: SecurityAlerts;

  constructor(scope: Construct, ctx: PlatformClusterStackContext, opts: PlatformClusterStackOptions = {}) {
    super(
      scope,
      {
        tenant: null,
        env: ctx.env,
        region: ctx.region,
        layer: "compute",
        platformTenants: ctx.tenants.map((t) => t.id),
      },
      opts,
    );
    const addressSpace = opts.addressSpace ?? PLATFORM_ADDRESS_SPACE;
    for (const t of ctx.allTenants ?? ctx.tenants) {
      for (const r of t.regions) {
        if (r.name === ctx.region && overlaps(r.addressSpace, addressSpace)) {
          throw new Error(
            `stack ${this.stackName}: platform VNet ${addressSpace} overlaps tenant ${t.id}'s VNet ${r.addressSpace}`,
          );
        }
      }
    }
    const p = platformTenant(ctx.env, ctx.region, ctx.tenants, addressSpace);
    this.platform = p;
    const region = ctx.region;

    this.foundation = new TenantFoundation(this, "foundation", {
      tenant: p,
      env: ctx.env,
      region,
      resourceGroupName: this.nameFor("resourceGroup", "compute"),
      workspaceName: this.nameFor("logAnalyticsWorkspace", "audit"),
      extraTags: { platform: "shared-cluster", "served-tenants": ctx.tenants.map((t) => t.id).join(",") },
    });
    const rg = this.foundation.resourceGroup.name;
    const tags = { ...this.foundation.tags };
    const workspaceId = this.foundation.workspace.id;

    this.network = new LandingZoneNetwork(this, "network", {
      name: this.nameFor("virtualNetwork"),
      resourceGroupName: rg,
      location: region,
      addressSpace,
      workspaceId,
      tags,
    });
    this.dns = new PrivateDnsZones(this, "dns", {
      resourceGroupName: rg,
      region,
      virtualNetworkId: this.network.vnet.id,
      tags,
    });
    const subnets = this.network.subnetIds;
    const zones = this.dns.zoneIds;
    if (ctx.env === "prod") {
      this.egress = new EgressFirewall(this, "egress", {
        name: this.nameFor("virtualNetwork"),
        resourceGroupName: rg,
        location: region,
        virtualNetworkName: this.network.vnet.name,
        firewallSubnetCidr: this.network.plan.firewall,
        sourceAddressSpace: addressSpace,
        routedSubnetIds: [subnets.aks],
        allowedFqdns: [...new Set(["mcr.microsoft.com", ...ctx.tenants.flatMap((t) => allowedFqdnsOf(t))])],
        workspaceId,
        tags,
      });
    }

    this.keyVault = new TenantKeyVault(this, "key-vault", {
      name: this.nameFor("keyVault"),
      resourceGroupName: rg,
      location: region,
      privateEndpointSubnetId: subnets["private-endpoints"],
      privateDnsZoneId: zones.vault,
      workspaceId,
      tags,
    });
    this.keys = new CustomerManagedKeys(this, "keys", {
      keyVaultId: this.keyVault.id,
      namePrefix: this.nameFor("keyVaultKey"),
      dependsOn: [this.keyVault.deployerAccess, this.keyVault.privateEndpoint.endpoint],
      tags,
    });
    this.diskEncryptionSet = new DiskEncryptionSet(this, "des", {
      name: this.nameFor("diskEncryptionSet"),
      resourceGroupName: rg,
      location: region,
      keyVaultId: this.keyVault.id,
      keyVersionlessId: this.keys.key("disks").versionlessId,
      tags,
    });

    this.archive = new ImmutableArchive(this, "archive", {
      name: this.nameFor("storageAccount", "audit"),
      resourceGroupName: rg,
      location: region,
      residency: p.residency,
      keyVaultId: this.keyVault.id,
      keyVersionlessId: this.keys.key("storage").versionlessId,
      privateEndpointSubnetId: subnets["private-endpoints"],
      blobPrivateDnsZoneId: zones.blob,
      workspaceId,
      minimumImmutabilityDays: p.audit.immutableRetentionDays,
      exportedTables: EXPORTED_TABLES,
      tags,
    });
    this.dataExport = new WorkspaceDataExport(this, "data-export", {
      name: this.nameFor("dataExportRule", "archive"),
      workspaceResourceGroupName: rg,
      workspaceId,
      destinationStorageAccountId: this.archive.id,
      tables: EXPORTED_TABLES,
      dependsOn: Object.values(this.archive.policies),
    });
    this.flowLogs = new VnetFlowLogs(this, "flow-logs", {
      name: `fl-${this.nameFor("virtualNetwork")}`,
      resourceGroupName: rg,
      location: region,
      virtualNetworkId: this.network.vnet.id,
      storageAccountId: this.archive.id,
      workspaceResourceId: workspaceId,
      workspaceGuid: this.foundation.workspace.workspaceGuid,
      workspaceRegion: region,
      retentionDays: this.archive.immutabilityDays,
      existingNetworkWatcher: opts.existingNetworkWatcher,
      dependsOn: [this.archive.policies[FLOW_LOG_CONTAINER]],
      tags,
    });

    const contacts = [...new Set(opts.securityContacts ?? ctx.tenants.map((t) => t.contacts.security))].map(
      escapeTerraformTemplate,
    );
    if (opts.subscriptionScope ?? true) {
      this.defender = new DefenderForCloud(this, "defender", { securityContactEmail: contacts.join(";") });
      this.activityLog = new SubscriptionActivityLog(this, "activity-log", {
        name: `zonegate-activity-platform-${ctx.env}-${region}`,
        workspaceId,
      });
    }
    this.alerts = new SecurityAlerts(this, "alerts", {
      resourceGroupName: rg,
      location: region,
      namePrefix: `platform-${ctx.env}-${region}`,
      emails: contacts,
      workspaceId,
      subscriptionResourceId: this.activityLog?.subscriptionResourceId,
      tags,
    });

    const prod = ctx.env === "prod";
    this.cluster = new AksCluster(this, "aks", {
      name: this.nameFor("kubernetesCluster", "shared"),
      resourceGroupName: rg,
      location: region,
      env: ctx.env,
      dnsPrefix: this.nameFor("dnsPrefix", "shared"),
      subnetId: subnets.aks,
      privateDnsZoneId: zones.aks,
      diskEncryptionSetId: this.diskEncryptionSet.id,
      workspaceId,
      outboundType: this.egress ? "userDefinedRouting" : "loadBalancer",
      dependsOn: this.egress ? [...this.egress.associations] : undefined,
      userPool: {
        vmSize: "Standard_D4s_v5",
        minCount: prod ? 3 : 1,
        maxCount: Math.min(100, Math.max(10, 3 * ctx.tenants.length)),
      },
      tags,
    });
    clusterProviders(this, this.cluster.kubeAccess(), true);
    this.kyverno = new Kyverno(this, "kyverno", { env: ctx.env, dependsOn: [this.cluster.userPool] });
    this.clusterPolicies = new KyvernoPolicies(this, "cluster-policies", {
      policies: sharedClusterPolicies(ctx.env, [
        "mcr.microsoft.com",
        ...ctx.tenants.flatMap((t) => t.cluster.allowedRegistries),
      ]),
      dependsOn: [this.kyverno.release],
    });
    ingressNamespace(this, ctx.env);
  }
}

/** Layer definition (registered in stacks/app.ts): one platform cluster per env × region with standard tenants. */
export const platformComputeLayer: LayerDefinition = {
  scope: "platform",
  layer: "compute",
  build: (c) => {
    const standard = c.tenants.filter((t) => t.tier === "standard");
    if (standard.length === 0) return undefined;
    return new PlatformClusterStack(
      c.app,
      { env: c.env, region: c.region, tenants: standard, allTenants: c.tenants },
      {
        backend: c.options.backend,
        env: c.options.env,
        existingNetworkWatcher: c.options.networkWatcher?.(standard[0], c.env, c.region),
      },
    );
  },
};
