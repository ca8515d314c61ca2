// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateDnsZones, privateDnsZoneNames } from "../../constructs/private-dns-zones";

Testing.setupJest();

describe("PrivateDnsZones", () => {
  it("creates the privatelink zones with non-registering VNet links", () => {
    const out = Testing.synthScope((s) => {
      new PrivateDnsZones(s, "dns", { resourceGroupName: "rg", region: "westeurope", virtualNetworkId: "/vnet" });
    });
    for (const zone of Object.values(privateDnsZoneNames("westeurope"))) {
      expect(out).toHaveResourceWithProperties(PrivateDnsZone, { name: zone });
    }
    expect(out).toHaveResourceWithProperties(PrivateDnsZone, { name: "privatelink.westeurope.azmk8s.io" });
    expect(out).toHaveResourceWithProperties(PrivateDnsZoneVirtualNetworkLink, {
      registration_enabled: false,
      virtual_network_id: "/vnet",
    });
  });
});
