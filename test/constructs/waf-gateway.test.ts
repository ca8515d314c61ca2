// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { ApplicationGateway } from "@cdktf/provider-azurerm/lib/application-gateway";
import { WebApplicationFirewallPolicy } from "@cdktf/provider-azurerm/lib/web-application-firewall-policy";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { WafGateway, OWASP_CRS_VERSION, APPGW_SSL_POLICY } from "../../constructs/waf-gateway";

Testing.setupJest();
const oc = expect.objectContaining;

const props = {
  name: "apim-t",
  resourceGroupName: "rg",
  location: "westeurope",
  subnetId: "/snet-appgw",
  nsg: { name: "nsg-appgw", resourceGroupName: "rg" },
  hostName: "api.bank.example",
  keyVaultId: "/kv",
  keyVaultUri: "https://kv-t.vault.azure.net/",
  certificateSecretName: "gateway-tls",
  backendIpAddress: "10.20.192.4",
  backendHostName: "apim-t.azure-api.net",
  workspaceId: "/ws",
};

describe("WafGateway", () => {
  const out = Testing.synthScope((s) => {
    new WafGateway(s, "waf", props);
  });
  const json = JSON.parse(out);
  const agw = Object.values(json.resource.azurerm_application_gateway)[0] as Record<string, unknown>;

  it("attaches a Prevention-mode OWASP CRS 3.2 policy with request body inspection", () => {
    expect(out).toHaveResourceWithProperties(WebApplicationFirewallPolicy, {
      policy_settings: oc({ enabled: true, mode: "Prevention", request_body_check: true }),
      managed_rules: oc({ managed_rule_set: expect.arrayContaining([{ type: "OWASP", version: OWASP_CRS_VERSION }]) }),
    });
    expect(out).toHaveResourceWithProperties(ApplicationGateway, {
      sku: { name: "WAF_v2", tier: "WAF_v2" },
      firewall_policy_id: expect.stringContaining("azurerm_web_application_firewall_policy."),
      force_firewall_policy_association: true,
    });
  });

  it("listens on HTTPS only, with the Key Vault certificate and a TLS 1.2+ policy", () => {
    expect(agw.frontend_port).toEqual([{ name: "https", port: 443 }]);
    expect(agw.http_listener).toEqual([oc({ protocol: "Https", host_name: "api.bank.example", require_sni: true })]);
    expect(agw.ssl_certificate).toEqual([
      { name: "tenant-tls", key_vault_secret_id: "https://kv-t.vault.azure.net/secrets/gateway-tls" },
    ]);
    expect(agw.ssl_policy).toEqual({ policy_type: "Predefined", policy_name: APPGW_SSL_POLICY });
    expect(out).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: "Key Vault Secrets User",
      scope: "/kv",
    });
  });

  it("forwards to the internal API Management gateway over HTTPS", () => {
    expect(agw.backend_address_pool).toEqual([{ name: "apim", ip_addresses: ["10.20.192.4"] }]);
    expect(agw.backend_http_settings).toEqual([
      oc({ port: 443, protocol: "Https", host_name: "apim-t.azure-api.net", probe_name: "apim-status" }),
    ]);
  });

  it("opens the appgw NSG only for GatewayManager, the load balancer and HTTPS", () => {
    const rules = Object.values(json.resource.azurerm_network_security_rule) as Record<string, unknown>[];
    expect(rules.map((r) => [r.source_address_prefix, r.destination_port_range]).sort()).toEqual([
      ["AzureLoadBalancer", "*"],
      ["GatewayManager", "65200-65535"],
      ["Internet", "443"],
    ]);
    expect(out).toHaveResourceWithProperties(NetworkSecurityRule, { access: "Allow", direction: "Inbound" });
    expect(Object.keys(json.resource.azurerm_monitor_diagnostic_setting)).toHaveLength(2);
  });

  it("rejects a bad host name and offers no prop to weaken the WAF", () => {
    expect(() => Testing.synthScope((s) => new WafGateway(s, "w", { ...props, hostName: "https://x" }))).toThrow(
      /hostName/,
    );
    // @ts-expect-error the WAF mode is not configurable
    const bad: ConstructorParameters<typeof WafGateway>[2] = { ...props, mode: "Detection" };
    expect(bad).toBeDefined();
  });
});
