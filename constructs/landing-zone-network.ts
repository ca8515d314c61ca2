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
 * Address plan (CIDR math by ip-num): for a VNet /p — aks /p+1 (first half), reserved /p+2,
 * apim /p+3, private-endpoints /p+3. A /22 VNet yields aks /23, reserved /24, apim /25, pe /25; the smallest
 * accepted VNet, /24, still gives API Management its minimum /27.
 */
import { Construct } from "constructs";
import { IPv4CidrRange } from "ip-num";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { DiagnosticSettings } from "./diagnostic-settings";

/** The subnet roles every landing zone VNet has. */
export const SUBNET_ROLES = ["aks", "apim", "private-endpoints", "reserved"] as const;
export type SubnetRole = (typeof SUBNET_ROLES)[number];

/** Priority of the explicit deny-all-inbound-from-Internet rule (the last custom rule before Azure's defaults). */
export const DENY_INTERNET_PRIORITY = 4096;

function split(range: IPv4CidrRange): [IPv4CidrRange, IPv4CidrRange] {
  const halves = range.split();
  return [halves[0], halves[1]];
}

/** Subnet CIDRs for a VNet address space (/16 to /24 — the loader's range). Pure; exported for tests and the docs. */
export function planSubnets(addressSpace: string): Record<SubnetRole, string> {
  let vnet: IPv4CidrRange;
  try {
    vnet = IPv4CidrRange.fromCidr(addressSpace);
  } catch (e) {
    throw new Error(`invalid VNet address space "${addressSpace}": ${(e as Error).message}`);
  }
  const prefix = Number(vnet.cidrPrefix.getValue());
  if (prefix < 16 || prefix > 24) {
    throw new Error(`VNet address space "${addressSpace}" must be /16 to /24 (got /${prefix})`);
  }
  if (vnet.getFirst().toString() !== addressSpace.split("/")[0]) {
    throw new Error(`VNet address space "${addressSpace}" is not a network address (host bits set)`);
  }
  const [aks, rest] = split(vnet);
  const [reserved, quarter] = split(rest);
  const [apim, pe] = split(quarter);
  return {
    aks: aks.toCidrString(),
    reserved: reserved.toCidrString(),
    apim: apim.toCidrString(),
    "private-endpoints": pe.toCidrString(),
  };
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
  public readonly subnets: Record<SubnetRole, Subnet>;
  public readonly nsgs: Record<SubnetRole, NetworkSecurityGroup>;
  /** The CIDR plan actually used. */
  public readonly plan: Record<SubnetRole, string>;

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
    for (const role of SUBNET_ROLES) {
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
        addressPrefixes: [this.plan[role]],
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

  /** Subnet ids by role. */
  public get subnetIds(): Record<SubnetRole, string> {
    return Object.fromEntries(SUBNET_ROLES.map((r) => [r, this.subnets[r].id])) as Record<SubnetRole, string>;
  }
  /** NSG ids by role. */
  public get nsgIds(): Record<SubnetRole, string> {
    return Object.fromEntries(SUBNET_ROLES.map((r) => [r, this.nsgs[r].id])) as Record<SubnetRole, string>;
  }
}
