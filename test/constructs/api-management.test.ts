// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { ApiManagement as AzApiManagement } from "@cdktf/provider-azurerm/lib/api-management";
import { ApiManagementDiagnostic } from "@cdktf/provider-azurerm/lib/api-management-diagnostic";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import {
  ApiManagement,
  APIM_SECURITY,
  apimSku,
  LOGGED_HEADERS,
  MASKED_QUERY_PARAMS,
  type ApiManagementProps,
} from "../../constructs/api-management";
import { all, parse } from "../helpers/synth";

Testing.setupJest();
const oc = expect.objectContaining;

const props: ApiManagementProps = {
  name: "apim-t",
  resourceGroupName: "rg",
  location: "westeurope",
  env: "prod",
  subnetId: "/snet-apim",
  publisherName: "Northwind",
  publisherEmail: "api@northwind.example",
  workspaceId: "/ws",
};
const synth = (p: Partial<ApiManagementProps> = {}) =>
  Testing.synthScope((s) => {
    new ApiManagement(s, "apim", { ...props, ...p });
  });

describe("ApiManagement", () => {
  const out = synth();
  const service = all(parse(out), "azurerm_api_management")[0];

  it("runs in Internal VNet mode in the apim subnet with a managed identity (ZG-APIM-001/002)", () => {
    expect(out).toHaveResourceWithProperties(AzApiManagement, {
      virtual_network_type: "Internal",
      virtual_network_configuration: { subnet_id: "/snet-apim" },
      identity: { type: "SystemAssigned" },
      sku_name: "Premium_3",
      zones: ["1", "2", "3"],
    });
  });

  it("turns off SSL 3.0, TLS 1.0/1.1 and every weak cipher suite, front and back (ZG-APIM-003/004)", () => {
    const security = service.security as Record<string, unknown>;
    expect(Object.keys(security)).toHaveLength(Object.keys(APIM_SECURITY).length);
    expect(Object.values(security).every((v) => v === false)).toBe(true);
    expect(security).toEqual(
      oc({
        frontend_ssl30_enabled: false,
        frontend_tls10_enabled: false,
        frontend_tls11_enabled: false,
        backend_ssl30_enabled: false,
        backend_tls10_enabled: false,
        backend_tls11_enabled: false,
        triple_des_ciphers_enabled: false,
        tls_rsa_with_aes128_gcm_sha256_ciphers_enabled: false,
        tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled: false,
      }),
    );
  });

  it("keeps the management plane and developer portal private (ZG-GW-002)", () => {
    expect(service).toEqual(
      oc({
        tenant_access: { enabled: false },
        sign_up: { enabled: false, terms_of_service: { enabled: false, consent_required: false } },
        min_api_version: "2021-08-01",
        hostname_configuration: {
          proxy: [{ host_name: "apim-t.azure-api.net", negotiate_client_certificate: true }],
        },
      }),
    );
    expect((service.hostname_configuration as Record<string, unknown>).developer_portal).toBeUndefined();
    // Azure requires public management access at creation (documented default true); false once it exists.
    expect(service.public_network_access_enabled).toBe(true);
    expect(synth({ publicNetworkAccessEnabled: false })).toHaveResourceWithProperties(AzApiManagement, {
      public_network_access_enabled: false,
    });
  });

  it("has no additional locations, so it stays in the residency zone (ZG-RES-003)", () => {
    expect(service.location).toBe("westeurope");
    expect(service.additional_location).toBeUndefined();
  });

  it("logs to the workspace without bodies, hiding secret query parameters", () => {
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      log_analytics_workspace_id: "/ws",
      log_analytics_destination_type: "Dedicated",
    });
    const io = {
      body_bytes: 0,
      headers_to_log: [...LOGGED_HEADERS],
      data_masking: { query_params: MASKED_QUERY_PARAMS.map((value) => ({ mode: "Hide", value })) },
    };
    expect(out).toHaveResourceWithProperties(ApiManagementDiagnostic, {
      identifier: "azuremonitor",
      always_log_errors: true,
      http_correlation_protocol: "W3C",
      frontend_request: io,
      frontend_response: io,
      backend_request: io,
      backend_response: io,
    });
    expect(LOGGED_HEADERS).not.toContain("Authorization");
  });

  it("adds the VNet-mode NSG rules only when given the NSG, and a Key Vault certificate for a custom host", () => {
    expect(all(parse(out), "azurerm_network_security_rule")).toHaveLength(0);
    const o = parse(
      synth({
        nsg: { name: "nsg-apim", resourceGroupName: "rg" },
        gatewayHostname: { hostName: "api.bank.example", keyVaultCertificateId: "https://kv/secrets/tls" },
      }),
    );
    const rules = all(o, "azurerm_network_security_rule");
    expect(rules.map((r) => [r.source_address_prefix, r.destination_port_range, r.access]).sort()).toEqual([
      ["ApiManagement", "3443", "Allow"],
      ["AzureLoadBalancer", "6390", "Allow"],
    ]);
    const s = all(o, "azurerm_api_management")[0];
    expect(s.depends_on).toHaveLength(2);
    expect(s.hostname_configuration).toEqual({
      proxy: [
        {
          host_name: "api.bank.example",
          key_vault_certificate_id: "https://kv/secrets/tls",
          negotiate_client_certificate: true,
          default_ssl_binding: true,
        },
      ],
    });
  });

  it("picks the SKU per environment and refuses SKUs without internal VNet mode", () => {
    expect(apimSku("dev", "westeurope")).toEqual({ skuName: "Developer_1", zones: [] });
    expect(apimSku("staging", "westeurope")).toEqual({ skuName: "Premium_1", zones: [] });
    expect(apimSku("prod", "westeurope")).toEqual({ skuName: "Premium_3", zones: ["1", "2", "3"] });
    expect(apimSku("prod", "ukwest")).toEqual({ skuName: "Premium_2", zones: [] });
    expect(() => synth({ sku: { skuName: "Standard_1", zones: [] } })).toThrow(/internal VNet mode/);
    // @ts-expect-error the VNet mode is not configurable
    const bad: ApiManagementProps = { ...props, virtualNetworkType: "External" };
    expect(synth(bad)).toHaveResourceWithProperties(AzApiManagement, { virtual_network_type: "Internal" });
  });
});
