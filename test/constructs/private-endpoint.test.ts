// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { TerraformOutput, Testing } from "cdktf";
import { PrivateEndpoint as AzPrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { PrivateEndpoint, type PrivateEndpointProps } from "../../constructs/private-endpoint";
import { all, parse } from "../helpers/synth";

Testing.setupJest();

const props: PrivateEndpointProps = {
  name: "pe-kv-t",
  resourceGroupName: "rg",
  location: "westeurope",
  subnetId: "/snet-pe",
  targetResourceId: "/kv",
  subresource: "vault",
  privateDnsZoneIds: ["/zone-vault"],
};

describe("PrivateEndpoint", () => {
  it("connects the target's sub-resource automatically and registers it in the privatelink zone (ZG-KV-006)", () => {
    const out = Testing.synthScope((s) => {
      new PrivateEndpoint(s, "pe", props);
    });
    expect(out).toHaveResourceWithProperties(AzPrivateEndpoint, {
      name: "pe-kv-t",
      subnet_id: "/snet-pe",
      custom_network_interface_name: "pe-kv-t-nic",
      private_service_connection: {
        name: "pe-kv-t-connection",
        private_connection_resource_id: "/kv",
        subresource_names: ["vault"],
        is_manual_connection: false,
      },
      private_dns_zone_group: { name: "default", private_dns_zone_ids: ["/zone-vault"] },
    });
    expect(all(parse(out), "azurerm_private_endpoint")[0].tags).toBeUndefined();
  });

  it("exposes the endpoint id and passes tags through", () => {
    const out = Testing.synthScope((s) => {
      const pe = new PrivateEndpoint(s, "pe", { ...props, subresource: "blob", tags: { tenant: "t" } });
      new TerraformOutput(s, "endpoint-id", { value: pe.id });
    });
    expect(JSON.parse(out).output["endpoint-id"].value).toMatch(
      /^\$\{azurerm_private_endpoint\.pe_endpoint_[^.]+\.id\}$/,
    );
    expect(out).toHaveResourceWithProperties(AzPrivateEndpoint, {
      private_service_connection: expect.objectContaining({ subresource_names: ["blob"] }),
      tags: { tenant: "t" },
    });
  });

  it("needs a private DNS zone", () => {
    expect(() => Testing.synthScope((s) => new PrivateEndpoint(s, "pe", { ...props, privateDnsZoneIds: [] }))).toThrow(
      /at least one private DNS zone/,
    );
  });
});
