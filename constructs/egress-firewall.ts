/**
 * EgressFirewall — outbound traffic control for a landing-zone VNet (PCI DSS 1.3.2, 1.4.1, 1.4.2, 11.5.1): an Azure
 * Firewall Premium in the VNet's `AzureFirewallSubnet`, a firewall policy that allows only AKS's own dependencies
 * (the `AzureKubernetesService` FQDN tag) and the tenant's FQDN allow-list over HTTPS, and a route table that sends
 * the routed subnets' default route (0.0.0.0/0) to the firewall, so a cluster with `outbound_type =
 * userDefinedRouting` egresses only through it.
 *
 * Always on (not props): Premium tier with intrusion detection and prevention (IDPS) in `Deny` mode and threat
 * intelligence in `Deny` mode; DNS proxy on (FQDN rules resolve the way clients do); no allow-all rule (the
 * allow-list holds host names, `*` alone is rejected); BGP route propagation off on the route table (an on-premises
 * route cannot bypass the firewall); zone-redundant firewall and public IP where the region has zones; all firewall
 * logs (resource-specific AZFW* tables) and the public IP's logs to the tenant workspace. The public IP is the
 * firewall's SNAT address for egress only; the policy has no DNAT rule, so nothing is published through it.
 *
 * Satisfies: ZG-EGR-001, ZG-EGR-002, ZG-EGR-003, ZG-EGR-004
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Firewall } from "@cdktf/provider-azurerm/lib/firewall";
import { FirewallPolicy } from "@cdktf/provider-azurerm/lib/firewall-policy";
import { FirewallPolicyRuleCollectionGroup } from "@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { DiagnosticSettings } from "./diagnostic-settings";
import { standardPublicIp } from "./standard-public-ip";
import { availabilityZones } from "./aks-cluster";
import { FIREWALL_SUBNET_NAME } from "./landing-zone-network";

/** FQDN tag that covers what AKS nodes need (MCR, Azure management and Entra ID, package mirrors). */
export const AKS_FQDN_TAG = "AzureKubernetesService";

const FQDN_RE = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export interface EgressFirewallProps {
  /** Name stem: the firewall is `afw-<name>`, its policy `afwp-<name>`, route table `rt-<name>`. Required. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** VNet that gets the `AzureFirewallSubnet`. Required. */
  readonly virtualNetworkName: string;
  /** CIDR of the `AzureFirewallSubnet` (/26 or larger; the network plan's `firewall`). Required. */
  readonly firewallSubnetCidr: string;
  /** Source address space allowed through the firewall (the VNet's). Required. */
  readonly sourceAddressSpace: string;
  /** Subnets whose default route goes to the firewall (the `aks` subnet). Required, non-empty. */
  readonly routedSubnetIds: readonly string[];
  /** Host names reachable over HTTPS besides AKS's dependencies (tenant `egress.allowedFqdns`). Required (may be empty). */
  readonly allowedFqdns: readonly string[];
  /** Log Analytics workspace for the firewall's and public IP's logs. Required. */
  readonly workspaceId: string;
  /**
   * Availability zones of the firewall and its public IP.
   * @default 1, 2, 3 (none in regions without zones)
   */
  readonly zones?: readonly string[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class EgressFirewall extends Construct {
  public readonly subnet: Subnet;
  public readonly publicIp: PublicIp;
  public readonly policy: FirewallPolicy;
  public readonly rules: FirewallPolicyRuleCollectionGroup;
  public readonly firewall: Firewall;
  public readonly routeTable: RouteTable;
  public readonly associations: SubnetRouteTableAssociation[];

  constructor(scope: Construct, id: string, props: EgressFirewallProps) {
    super(scope, id);
    const prefix = Number(props.firewallSubnetCidr.split("/")[1]);
    if (!(prefix <= 26)) throw new Error(`${this.node.path}: AzureFirewallSubnet must be /26 or larger`);
    if (props.routedSubnetIds.length === 0) throw new Error(`${this.node.path}: no subnet is routed to the firewall`);
    for (const f of props.allowedFqdns) {
      if (!FQDN_RE.test(f)) throw new Error(`${this.node.path}: "${f}" is not a host name (allow-all is not allowed)`);
    }
    const tags = props.tags ?? {};
    const zones = props.zones ? [...props.zones] : availabilityZones(props.location);

    this.subnet = new Subnet(this, "subnet", {
      name: FIREWALL_SUBNET_NAME,
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: props.virtualNetworkName,
      addressPrefixes: [props.firewallSubnetCidr],
      defaultOutboundAccessEnabled: false,
    });
    this.publicIp = standardPublicIp(this, {
      name: `pip-afw-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      zones,
      tags,
      workspaceId: props.workspaceId,
    });
    this.policy = new FirewallPolicy(this, "policy", {
      name: `afwp-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "Premium",
      threatIntelligenceMode: "Deny",
      intrusionDetection: { mode: "Deny" },
      dns: { proxyEnabled: true },
      tags,
    });
    const sources = [props.sourceAddressSpace];
    this.rules = new FirewallPolicyRuleCollectionGroup(this, "rules", {
      name: "zonegate-egress",
      firewallPolicyId: this.policy.id,
      priority: 100,
      applicationRuleCollection: [
        {
          name: "aks-dependencies",
          priority: 100,
          action: "Allow",
          rule: [
            {
              name: "aks-fqdn-tag",
              sourceAddresses: sources,
              destinationFqdnTags: [AKS_FQDN_TAG],
              protocols: [
                { type: "Https", port: 443 },
                { type: "Http", port: 80 },
              ],
            },
          ],
        },
        ...(props.allowedFqdns.length
          ? [
              {
                name: "tenant-allow-list",
                priority: 200,
                action: "Allow",
                rule: [
                  {
                    name: "allowed-fqdns",
                    sourceAddresses: sources,
                    destinationFqdns: [...props.allowedFqdns],
                    protocols: [{ type: "Https", port: 443 }],
                  },
                ],
              },
            ]
          : []),
      ],
      networkRuleCollection: [
        {
          name: "azure-monitor",
          priority: 300,
          action: "Allow",
          rule: [
            {
              name: "azure-monitor",
              protocols: ["TCP"],
              sourceAddresses: sources,
              destinationAddresses: ["AzureMonitor"],
              destinationPorts: ["443"],
            },
          ],
        },
      ],
    });
    this.firewall = new Firewall(this, "firewall", {
      name: `afw-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: "AZFW_VNet",
      skuTier: "Premium",
      firewallPolicyId: this.policy.id,
      zones: zones.length ? zones : undefined,
      ipConfiguration: [{ name: "egress", subnetId: this.subnet.id, publicIpAddressId: this.publicIp.id }],
      tags,
      dependsOn: [this.rules],
    });
    new DiagnosticSettings(this, "firewall-diagnostics", {
      targetResourceId: this.firewall.id,
      workspaceId: props.workspaceId,
      dedicatedTables: true,
    });
    this.routeTable = new RouteTable(this, "route-table", {
      name: `rt-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      bgpRoutePropagationEnabled: false,
      route: [
        {
          name: "default-to-firewall",
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopInIpAddress: this.firewall.ipConfiguration.get(0).privateIpAddress,
        },
      ],
      tags,
    });
    this.associations = props.routedSubnetIds.map(
      (subnetId, i) =>
        new SubnetRouteTableAssociation(this, `route-${i}`, { subnetId, routeTableId: this.routeTable.id }),
    );
  }
}
