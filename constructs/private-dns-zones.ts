/**
 * PrivateDnsZones — the privatelink DNS zones a landing zone's private endpoints resolve through, each
 * linked to the VNet with auto-registration off.
 *
 * Satisfies: none
 */
import { Construct } from "constructs";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";

/** Logical zone keys the stacks refer to. */
export type PrivateDnsZoneKey = "vault" | "blob" | "apim" | "aks";

/** The privatelink zone names for a region (AKS private clusters use a regional zone). */
export function privateDnsZoneNames(region: string): Record<PrivateDnsZoneKey, string> {
  return {
    vault: "privatelink.vaultcore.azure.net",
    blob: "privatelink.blob.core.windows.net",
    apim: "privatelink.azure-api.net",
    aks: `privatelink.${region}.azmk8s.io`,
  };
}

export interface PrivateDnsZonesProps {
  /** Resource group for the zones. Required. */
  readonly resourceGroupName: string;
  /** Region the zones serve (selects the AKS zone name). Required. */
  readonly region: string;
  /** VNet the zones are linked to. Required. */
  readonly virtualNetworkId: string;
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class PrivateDnsZones extends Construct {
  public readonly zones: Record<PrivateDnsZoneKey, PrivateDnsZone>;

  constructor(scope: Construct, id: string, props: PrivateDnsZonesProps) {
    super(scope, id);
    const names = privateDnsZoneNames(props.region);
    const zones = {} as Record<PrivateDnsZoneKey, PrivateDnsZone>;
    for (const [key, zoneName] of Object.entries(names) as [PrivateDnsZoneKey, string][]) {
      const zone = new PrivateDnsZone(this, `zone-${key}`, {
        name: zoneName,
        resourceGroupName: props.resourceGroupName,
        tags: props.tags,
      });
      new PrivateDnsZoneVirtualNetworkLink(this, `link-${key}`, {
        name: `link-${key}`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: props.virtualNetworkId,
        registrationEnabled: false,
        tags: props.tags,
      });
      zones[key] = zone;
    }
    this.zones = zones;
  }

  /** Zone ids by key. */
  public get zoneIds(): Record<PrivateDnsZoneKey, string> {
    return Object.fromEntries(Object.entries(this.zones).map(([k, z]) => [k, z.id])) as Record<
      PrivateDnsZoneKey,
      string
    >;
  }
}
