/**
 * PrivateEndpoint — a private endpoint for one sub-resource of a PaaS resource, registered in its
 * privatelink DNS zone through a `private_dns_zone_group` (no manual DNS records, no manual approval).
 *
 * Satisfies: ZG-DB-002, ZG-DB-003
 * Also configures: ZG-KV-006
 */
import { Construct } from "constructs";
import { PrivateEndpoint as AzPrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";

export interface PrivateEndpointProps {
  /** Private endpoint name. Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling), same as the subnet's VNet. Required. */
  readonly location: string;
  /** Id of the private-endpoints subnet. Required. */
  readonly subnetId: string;
  /** Id of the resource exposed through the endpoint. Required. */
  readonly targetResourceId: string;
  /** Sub-resource (group id), e.g. `vault`, `blob`. Required. */
  readonly subresource: string;
  /** Private DNS zone ids the endpoint registers its A record in (at least one). Required. */
  readonly privateDnsZoneIds: string[];
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class PrivateEndpoint extends Construct {
  public readonly endpoint: AzPrivateEndpoint;

  constructor(scope: Construct, id: string, props: PrivateEndpointProps) {
    super(scope, id);
    if (props.privateDnsZoneIds.length === 0) {
      throw new Error(`${this.node.path}: a private endpoint needs at least one private DNS zone`);
    }
    this.endpoint = new AzPrivateEndpoint(this, "endpoint", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: `${props.name}-connection`,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: props.privateDnsZoneIds },
      tags: props.tags,
    });
  }

  public get id(): string {
    return this.endpoint.id;
  }
}
