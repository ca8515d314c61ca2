// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { LandingZoneNetwork, planSubnets, SUBNET_ROLES } from "../../constructs/landing-zone-network";

Testing.setupJest();

const props = {
  name: "vnet-t",
  resourceGroupName: "rg",
  location: "westeurope",
  addressSpace: "10.20.0.0/16",
  workspaceId: "/ws",
};

describe("planSubnets", () => {
  it("carves aks/firewall/appgw/apim/private-endpoints without overlap", () => {
    expect(planSubnets("10.20.0.0/16")).toEqual({
      aks: "10.20.0.0/17",
      firewall: "10.20.128.0/19",
      appgw: "10.20.160.0/19",
      apim: "10.20.192.0/19",
      "private-endpoints": "10.20.224.0/19",
    });
    expect(planSubnets("10.60.0.0/22")).toEqual({
      aks: "10.60.0.0/23",
      firewall: "10.60.2.0/25",
      appgw: "10.60.2.128/25",
      apim: "10.60.3.0/25",
      "private-endpoints": "10.60.3.128/25",
    });
  });
  it("gives a /24 VNet the firewall's minimum /26 and no application gateway subnet", () => {
    expect(planSubnets("10.20.5.0/24")).toEqual({
      aks: "10.20.5.0/25",
      firewall: "10.20.5.128/26",
      apim: "10.20.5.192/27",
      "private-endpoints": "10.20.5.224/27",
    });
    const out = Testing.synthScope((s) => {
      new LandingZoneNetwork(s, "net", { ...props, addressSpace: "10.20.5.0/24" });
    });
    expect(Object.keys(JSON.parse(out).resource.azurerm_subnet)).toHaveLength(3);
  });
  it("rejects bad address spaces", () => {
    expect(() => planSubnets("10.20.0.0/25")).toThrow(/\/16 to \/24/);
    expect(planSubnets("10.20.5.0/24").apim).toBe("10.20.5.192/27");
    expect(() => planSubnets("10.20.1.0/16")).toThrow(/host bits/);
    expect(() => planSubnets("nope")).toThrow(/invalid/);
  });
});

describe("LandingZoneNetwork", () => {
  const out = Testing.synthScope((s) => {
    new LandingZoneNetwork(s, "net", props);
  });
  const json = JSON.parse(out);

  it("creates the VNet and one subnet + NSG + association per role", () => {
    expect(out).toHaveResourceWithProperties(VirtualNetwork, { address_space: ["10.20.0.0/16"] });
    for (const role of SUBNET_ROLES) {
      expect(out).toHaveResourceWithProperties(Subnet, {
        name: `snet-${role}`,
        private_endpoint_network_policies: "Enabled",
        default_outbound_access_enabled: false,
      });
    }
    expect(Object.keys(json.resource.azurerm_network_security_group)).toHaveLength(4);
    expect(Object.keys(json.resource.azurerm_subnet_network_security_group_association)).toHaveLength(4);
    expect(out).toHaveResource(NetworkSecurityGroup);
    expect(out).toHaveResource(SubnetNetworkSecurityGroupAssociation);
  });

  it("denies all inbound from Internet at priority 4096 and allows nothing from the internet", () => {
    expect(out).toHaveResourceWithProperties(NetworkSecurityRule, {
      priority: 4096,
      direction: "Inbound",
      access: "Deny",
      source_address_prefix: "Internet",
      destination_port_range: "*",
      protocol: "*",
    });
    const rules = Object.values(json.resource.azurerm_network_security_rule) as Record<string, unknown>[];
    expect(rules).toHaveLength(4);
    for (const r of rules) {
      if (r.access === "Allow") expect(["Internet", "*", "0.0.0.0/0"]).not.toContain(r.source_address_prefix);
    }
    // NSGs carry no inline rules (they would fight with the separate rule resources).
    for (const nsg of Object.values(json.resource.azurerm_network_security_group) as Record<string, unknown>[]) {
      expect(nsg.security_rule).toBeUndefined();
    }
  });

  it("sends VNet (logs+metrics) and NSG (logs) diagnostics to the workspace", () => {
    const settings = Object.values(json.resource.azurerm_monitor_diagnostic_setting) as Record<string, unknown>[];
    expect(settings).toHaveLength(5);
    expect(settings.every((s) => s.log_analytics_workspace_id === "/ws")).toBe(true);
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      enabled_log: [{ category_group: "allLogs" }],
      enabled_metric: [{ category: "AllMetrics" }],
    });
  });
});
