// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { Firewall } from "@cdktf/provider-azurerm/lib/firewall";
import { FirewallPolicy } from "@cdktf/provider-azurerm/lib/firewall-policy";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { EgressFirewall, AKS_FQDN_TAG } from "../../constructs/egress-firewall";
import { testTenant } from "../helpers/tenants";
import { allowedFqdnsOf, defaultAllowedFqdns, registryHost } from "../../lib/tenant/defaults";

Testing.setupJest();
const oc = expect.objectContaining;

const props = {
  name: "vnet-t",
  resourceGroupName: "rg",
  location: "westeurope",
  virtualNetworkName: "vnet-t",
  firewallSubnetCidr: "10.20.128.0/19",
  sourceAddressSpace: "10.20.0.0/16",
  routedSubnetIds: ["/snet-aks"],
  allowedFqdns: ["northwindbank.azurecr.io", "*.partner.example"],
  workspaceId: "/ws",
};

describe("EgressFirewall", () => {
  const out = Testing.synthScope((s) => {
    new EgressFirewall(s, "egress", props);
  });
  const json = JSON.parse(out);

  it("puts a Premium firewall with a policy in AzureFirewallSubnet", () => {
    expect(out).toHaveResourceWithProperties(Subnet, {
      name: "AzureFirewallSubnet",
      address_prefixes: ["10.20.128.0/19"],
    });
    expect(out).toHaveResourceWithProperties(Firewall, {
      sku_name: "AZFW_VNet",
      sku_tier: "Premium",
      firewall_policy_id: expect.stringContaining("azurerm_firewall_policy."),
      zones: ["1", "2", "3"],
    });
  });

  it("denies threats and intrusions (IDPS) and proxies DNS", () => {
    expect(out).toHaveResourceWithProperties(FirewallPolicy, {
      sku: "Premium",
      threat_intelligence_mode: "Deny",
      intrusion_detection: { mode: "Deny" },
      dns: { proxy_enabled: true },
    });
  });

  it("allows AKS dependencies and the tenant's FQDNs over HTTPS only, nothing to *", () => {
    const group = Object.values(json.resource.azurerm_firewall_policy_rule_collection_group)[0] as {
      application_rule_collection: { name: string; rule: Record<string, unknown>[] }[];
      network_rule_collection: { rule: Record<string, unknown>[] }[];
    };
    const rules = group.application_rule_collection.flatMap((c) => c.rule);
    expect(rules).toContainEqual(oc({ destination_fqdn_tags: [AKS_FQDN_TAG] }));
    expect(rules).toContainEqual(
      oc({ destination_fqdns: props.allowedFqdns, protocols: [{ type: "Https", port: 443 }] }),
    );
    const all = JSON.stringify(group);
    expect(all).not.toMatch(/"\*"/);
  });

  it("routes the aks subnet's default route to the firewall, BGP propagation off", () => {
    expect(out).toHaveResourceWithProperties(RouteTable, {
      bgp_route_propagation_enabled: false,
      route: [
        oc({
          address_prefix: "0.0.0.0/0",
          next_hop_type: "VirtualAppliance",
          next_hop_in_ip_address: expect.stringContaining("ip_configuration[0].private_ip_address"),
        }),
      ],
    });
    expect(out).toHaveResourceWithProperties(SubnetRouteTableAssociation, { subnet_id: "/snet-aks" });
  });

  it("sends firewall and public IP logs to the workspace", () => {
    expect(Object.keys(json.resource.azurerm_monitor_diagnostic_setting)).toHaveLength(2);
  });

  it("rejects allow-all, a too small subnet and an empty route list", () => {
    const build = (p: Partial<typeof props>) => () =>
      Testing.synthScope((s) => new EgressFirewall(s, "e", { ...props, ...p }));
    expect(build({ allowedFqdns: ["*"] })).toThrow(/not a host name/);
    expect(build({ allowedFqdns: ["https://x.example/path"] })).toThrow(/not a host name/);
    expect(build({ firewallSubnetCidr: "10.20.128.0/27" })).toThrow(/26/);
    expect(build({ routedSubnetIds: [] })).toThrow(/routed/);
    // the policy's protections are not props
    // @ts-expect-error threat intelligence mode is not configurable
    const bad: ConstructorParameters<typeof EgressFirewall>[2] = { ...props, threatIntelligenceMode: "Alert" };
    expect(bad).toBeDefined();
  });
});

describe("egress allow-list defaults", () => {
  it("default to the hosts of the allowed registries", () => {
    expect(registryHost("myacr.azurecr.io/team")).toBe("myacr.azurecr.io");
    expect(registryHost("registry.example:5000/x")).toBe("registry.example");
    expect(defaultAllowedFqdns(["mcr.microsoft.com", "a.azurecr.io/x", "a.azurecr.io/y"])).toEqual([
      "mcr.microsoft.com",
      "a.azurecr.io",
    ]);
    expect(allowedFqdnsOf(testTenant())).toEqual(["mcr.microsoft.com"]);
    expect(allowedFqdnsOf({ ...testTenant(), egress: { allowedFqdns: ["x.example"] } })).toEqual(["x.example"]);
  });
});
