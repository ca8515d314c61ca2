/**
 * NetworkStack — layer 2: the VNet with deny-by-default subnets and the privatelink DNS zones; in prod, for tenants
 * with a dedicated cluster, the egress firewall with the tenant's FQDN allow-list and the route table that sends the
 * aks subnet's default route through it (the cluster then uses `outbound_type = userDefinedRouting`).
 * (VNet flow logs need the archive storage, so they live in the audit layer.)
 */
import { Construct } from "constructs";
import { LandingZoneNetwork, type ByRole, type SubnetPlan } from "../constructs/landing-zone-network";
import { PrivateDnsZones, type PrivateDnsZoneKey } from "../constructs/private-dns-zones";
import { EgressFirewall } from "../constructs/egress-firewall";
import { allowedFqdnsOf } from "../lib/tenant/defaults";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";
import type { FoundationHandles, FoundationStack } from "./foundation-stack";

export interface NetworkHandles {
  readonly vnetId: string;
  readonly vnetName: string;
  /** The VNet address space and the subnet CIDR plan (plain strings). */
  readonly addressSpace: string;
  readonly subnetCidrs: SubnetPlan;
  readonly subnetIds: Readonly<ByRole<string>>;
  readonly nsgIds: Readonly<ByRole<string>>;
  /** NSG names (for layers adding service-tag rules with azurerm_network_security_rule). */
  readonly nsgNames: Readonly<ByRole<string>>;
  readonly privateDnsZoneIds: Readonly<Record<PrivateDnsZoneKey, string>>;
  /** True when the aks subnet's default route goes through the egress firewall (clusters use userDefinedRouting). */
  readonly egressThroughFirewall: boolean;
}

export interface NetworkStackDeps {
  readonly foundation: FoundationStack;
}

export class NetworkStack extends BaseStack {
  public readonly network: LandingZoneNetwork;
  public readonly dns: PrivateDnsZones;
  /** Prod, dedicated-cluster tiers only. */
  public readonly egress?: EgressFirewall;
  public readonly handles: NetworkHandles;

  constructor(scope: Construct, ctx: Omit<StackContext, "layer">, deps: NetworkStackDeps, opts: BaseStackOptions = {}) {
    super(scope, { ...ctx, layer: "network" }, opts);
    this.addDependency(deps.foundation);
    const f: FoundationHandles = deps.foundation.handles;
    const region = this.tenant.regions.find((r) => r.name === ctx.region)!;

    this.network = new LandingZoneNetwork(this, "network", {
      name: this.nameFor("virtualNetwork"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      addressSpace: region.addressSpace,
      workspaceId: f.workspaceId,
      tags: { ...f.tags },
    });
    this.dns = new PrivateDnsZones(this, "dns", {
      resourceGroupName: f.resourceGroupName,
      region: ctx.region,
      virtualNetworkId: this.network.vnet.id,
      tags: { ...f.tags },
    });
    const n = this.network;
    if (ctx.env === "prod" && this.tenant.tier !== "standard") {
      this.egress = new EgressFirewall(this, "egress", {
        name: this.nameFor("virtualNetwork"),
        resourceGroupName: f.resourceGroupName,
        location: ctx.region,
        virtualNetworkName: n.vnet.name,
        firewallSubnetCidr: n.plan.firewall,
        sourceAddressSpace: region.addressSpace,
        routedSubnetIds: [n.subnetIds.aks],
        allowedFqdns: allowedFqdnsOf(this.tenant),
        workspaceId: f.workspaceId,
        tags: { ...f.tags },
      });
    }
    this.handles = {
      vnetId: n.vnet.id,
      vnetName: n.vnet.name,
      addressSpace: region.addressSpace,
      subnetCidrs: n.plan,
      subnetIds: n.subnetIds,
      nsgIds: n.nsgIds,
      nsgNames: Object.fromEntries(Object.entries(n.nsgs).map(([r, g]) => [r, g.name])) as ByRole<string>,
      privateDnsZoneIds: this.dns.zoneIds,
      egressThroughFirewall: this.egress !== undefined,
    };
  }
}
