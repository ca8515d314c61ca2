/**
 * LandingZoneNetwork — the VNet of one tenant × env × region, carved into fixed-role subnets, each behind
 * its own deny-by-default NSG, with diagnostics to the tenant workspace.
 *
 * Secure by default (not props): every subnet has an NSG (attached with
 * `azurerm_subnet_network_security_group_association`) whose lowest-precedence custom rule (priority 4096)
 * denies all inbound traffic from `Internet`; no rule allows traffic from the internet; default outbound
 * access is off; private endpoint network policies are enabled so NSGs/UDRs apply to private endpoints.
 * NSG rules are separate `azurerm_network_security_rule` resources so later layers (compute, edge) can add
 * narrowly scoped service-tag rules to the exported NSGs without rewriting the group.
 *
 * Address plan (CIDR math on ipaddr.js-parsed addresses): for a VNet /p — aks /p+1 (first half), then a /p+2 edge block split into
 * `AzureFirewallSubnet` /p+3 (egress firewall, constructs/egress-firewall.ts; no NSG — Azure forbids one) and
 * appgw /p+3 (the internet WAF, constructs/waf-gateway.ts), then apim /p+3 and private-endpoints /p+3. A /22 VNet
 * yields aks /23, firewall /25, appgw /25, apim /25, pe /25. The smallest accepted VNet, /24, still gives API
 * Management its minimum /27 and the firewall its minimum /26, but has no room for an application gateway.
 *
 * Satisfies: ZG-NET-001, ZG-NET-002
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import ipaddr from "ipaddr.js";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { DiagnosticSettings } from "./diagnostic-settings";

/** The subnet roles every landing zone VNet has. */
export const SUBNET_ROLES = ["aks", "apim", "private-endpoints", "appgw"] as const;
export type SubnetRole = (typeof SUBNET_ROLES)[number];
/** Roles every VNet has (appgw needs a VNet of /23 or larger). */
export type CoreSubnetRole = Exclude<SubnetRole, "appgw">;

/** The address plan of a VNet. */
export type SubnetPlan = Record<CoreSubnetRole, string> & {
  /** The application gateway subnet; absent in a /24 VNet. */
  readonly appgw?: string;
  /** `AzureFirewallSubnet` (≥ /26). */
  readonly firewall: string;
};
/** Subnet ids (or NSG ids / names) by role; `appgw` only where the plan has one. */
export type ByRole<T> = Record<CoreSubnetRole, T> & { readonly appgw?: T };

/** Azure's required name of the firewall subnet. */
export const FIREWALL_SUBNET_NAME = "AzureFirewallSubnet";

/** Priority of the explicit deny-all-inbound-from-Internet rule (the last custom rule before Azure's defaults). */
export const DENY_INTERNET_PRIORITY = 4096;

/** An IPv4 network: its first address as a 32-bit number, and its prefix length. */
interface Net {
  readonly base: number;
  readonly prefix: number;
}

function cidrOf(n: Net): string {
  const b = n.base;
  return `${[b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join(".")}/${n.prefix}`;
}

/** The two halves of a network (its prefix + 1). */
function split(n: Net): [Net, Net] {
  const prefix = n.prefix + 1;
  return [
    { base: n.base, prefix },
    { base: n.base + 2 ** (32 - prefix), prefix },
  ];
}

/** Subnet CIDRs for a VNet address space (/16 to /24 — the loader's range). Pure; exported for tests and the docs. */
export function planSubnets(addressSpace: string): SubnetPlan {
  let addr: ipaddr.IPv4;
  let prefix: number;
  try {
    if (!ipaddr.IPv4.isValidFourPartDecimal(addressSpace.split("/")[0])) throw new Error("not an IPv4 address");
    [addr, prefix] = ipaddr.IPv4.parseCIDR(addressSpace);
  } catch (e) {
    throw new Error(`invalid VNet address space "${addressSpace}": ${(e as Error).message}`);
  }
  if (prefix < 16 || prefix > 24) {
    throw new Error(`VNet address space "${addressSpace}" must be /16 to /24 (got /${prefix})`);
  }
  if (ipaddr.IPv4.networkAddressFromCIDR(addressSpace).toString() !== addressSpace.split("/")[0]) {
    throw new Error(`VNet address space "${addressSpace}" is not a network address (host bits set)`);
  }
  const vnet: Net = { base: addr.octets.reduce((n, o) => n * 256 + o, 0), prefix };
  const [aks, rest] = split(vnet);
  const [edge, quarter] = split(rest);
  const [apim, pe] = split(quarter);
  const core = { aks: cidrOf(aks), apim: cidrOf(apim), "private-endpoints": cidrOf(pe) };
  if (prefix === 24) return { ...core, firewall: cidrOf(edge) };
  const [firewall, appgw] = split(edge);
  return { ...core, firewall: cidrOf(firewall), appgw: cidrOf(appgw) };
}

export interface LandingZoneNetworkProps {
  /** VNet name. Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling). Required. */
  readonly location: string;
  /** VNet IPv4 CIDR (/16 to /24), from the tenant's region entry. Required. */
  readonly addressSpace: string;
  /** Log Analytics workspace id for VNet and NSG diagnostics. Required. */
  readonly workspaceId: string;
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class LandingZoneNetwork extends Construct {
  public readonly vnet: VirtualNetwork;
  public readonly subnets: ByRole<Subnet>;
  public readonly nsgs: ByRole<NetworkSecurityGroup>;
  /** The CIDR plan actually used. */
  public readonly plan: SubnetPlan;

  constructor(scope: Construct, id: string, props: LandingZoneNetworkProps) {
    super(scope, id);
    this.plan = planSubnets(props.addressSpace);

    this.vnet = new VirtualNetwork(this, "vnet", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      addressSpace: [props.addressSpace],
      tags: props.tags,
    });
    new DiagnosticSettings(this, "vnet-diagnostics", {
      targetResourceId: this.vnet.id,
      workspaceId: props.workspaceId,
    });

    const subnets = {} as Record<SubnetRole, Subnet>;
    const nsgs = {} as Record<SubnetRole, NetworkSecurityGroup>;
    for (const role of this.roles) {
      const nsg = new NetworkSecurityGroup(this, `nsg-${role}`, {
        name: `nsg-${props.name}-${role}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
      new NetworkSecurityRule(this, `nsg-${role}-deny-internet`, {
        name: "DenyAllInboundFromInternet",
        description: "zonegate: no inbound traffic from the internet, ever",
        networkSecurityGroupName: nsg.name,
        resourceGroupName: props.resourceGroupName,
        priority: DENY_INTERNET_PRIORITY,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      });
      // NSGs have log categories but no metrics.
      new DiagnosticSettings(this, `nsg-${role}-diagnostics`, {
        targetResourceId: nsg.id,
        workspaceId: props.workspaceId,
        metrics: false,
      });
      const subnet = new Subnet(this, `subnet-${role}`, {
        name: `snet-${role}`,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [this.plan[role]!],
        privateEndpointNetworkPolicies: "Enabled",
        defaultOutboundAccessEnabled: false,
      });
      new SubnetNetworkSecurityGroupAssociation(this, `subnet-${role}-nsg`, {
        subnetId: subnet.id,
        networkSecurityGroupId: nsg.id,
      });
      subnets[role] = subnet;
      nsgs[role] = nsg;
    }
    this.subnets = subnets;
    this.nsgs = nsgs;
  }

  /** The roles this VNet has subnets for (appgw only in a /23 or larger VNet). */
  public get roles(): SubnetRole[] {
    return SUBNET_ROLES.filter((r) => this.plan[r] !== undefined);
  }
  /** Subnet ids by role. */
  public get subnetIds(): ByRole<string> {
    return Object.fromEntries(this.roles.map((r) => [r, this.subnets[r]!.id])) as ByRole<string>;
  }
  /** NSG ids by role. */
  public get nsgIds(): ByRole<string> {
    return Object.fromEntries(this.roles.map((r) => [r, this.nsgs[r]!.id])) as ByRole<string>;
  }
}
