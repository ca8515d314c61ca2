/**
 * The public address of an internet-facing platform component (the WAF gateway's frontend, the egress
 * firewall's outbound address): Standard SKU, static, zone-redundant where the region has zones, its DDoS and
 * flow diagnostics sent to the tenant workspace (ZG-LOG-004). One definition for both users, so the two
 * addresses cannot drift apart.
 *
 * Satisfies: none
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { DiagnosticSettings } from "./diagnostic-settings";

export interface StandardPublicIpProps {
  /** Resource name (`pip-…`). Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region. Required. */
  readonly location: string;
  /** Availability zones; empty = none (regions without zones). Required. */
  readonly zones: readonly string[];
  /** Tags. Required. */
  readonly tags: Record<string, string>;
  /** Log Analytics workspace receiving the address's diagnostics. Required. */
  readonly workspaceId: string;
}

/**
 * Adds `public-ip` and `public-ip-diagnostics` to `scope` (ids kept as the constructs had them, so the
 * synthesized addresses do not change) and returns the address.
 */
export function standardPublicIp(scope: Construct, props: StandardPublicIpProps): PublicIp {
  const ip = new PublicIp(scope, "public-ip", {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    allocationMethod: "Static",
    sku: "Standard",
    zones: props.zones.length ? [...props.zones] : undefined,
    tags: props.tags,
  });
  new DiagnosticSettings(scope, "public-ip-diagnostics", {
    targetResourceId: ip.id,
    workspaceId: props.workspaceId,
  });
  return ip;
}
