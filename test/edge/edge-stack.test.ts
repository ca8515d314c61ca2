// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import * as fs from "node:fs";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ApiManagement as AzApiManagement } from "@cdktf/provider-azurerm/lib/api-management";
import { ApiManagementDiagnostic } from "@cdktf/provider-azurerm/lib/api-management-diagnostic";
import { ApiManagementProduct } from "@cdktf/provider-azurerm/lib/api-management-product";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { buildEstate } from "../../stacks/app";
import { apimSku, APIM_SECURITY } from "../../constructs/api-management";
import { globalPolicyXml, productPolicyXml } from "../../lib/gateway/policies";
import { unescapeTerraformTemplate } from "../../lib/gateway/xml";
import { testTenant } from "../helpers/tenants";
import type { Tenant } from "../../lib/tenant/types";

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base = testTenant({ id: "northwind-bank", tier: "enterprise", environments: ["dev", "staging", "prod"] });
const northwind: Tenant = {
  ...base,
  displayName: 'Northwind ${var.secret} %{if true}x%{endif} <Bank> & "Co"',
  gateway: {
    ...base.gateway,
    publisherName: 'Northwind ${file("/etc/passwd")}',
    mtlsPartners: [{ name: "clearing-house", thumbprint: "0123456789abcdef0123456789abcdef01234567" }],
    dlpPatterns: [{ name: "iban", regex: "[A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){3,7}" }],
  },
};
const fabrikam = testTenant({
  id: "fabrikam",
  tier: "standard",
  environments: ["prod"],
  regions: [{ name: "westeurope", addressSpace: "10.60.0.0/22" }],
});

const app: App = Testing.app();
buildEstate(app, [northwind, fabrikam], { backend: "local", env: {} });
app.synth();
const read = (name: string): Json =>
  JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json;
const one = (j: Json, type: string): Json => {
  const all = Object.values(j.resource[type] ?? {}) as Json[];
  expect(all).toHaveLength(1);
  return all[0];
};

describe("API Management: secure settings", () => {
  const prod = read("northwind-bank-prod-westeurope-edge");
  const s = JSON.stringify(prod);

  test("internal VNet mode in the apim subnet, system-assigned identity, old management APIs refused", () => {
    expect(s).toHaveResourceWithProperties(AzApiManagement, {
      virtual_network_type: "Internal",
      identity: { type: "SystemAssigned" },
      min_api_version: "2021-08-01",
      sku_name: "Premium_3",
      zones: ["1", "2", "3"],
      public_network_access_enabled: true, // required at creation (management plane only), see the construct
    });
    const apim = one(prod, "azurerm_api_management");
    expect(apim.virtual_network_configuration.subnet_id).toMatch(/subnet-apim/);
    expect(apim.sign_up.enabled).toBe(false);
    expect(apim).not.toHaveProperty("client_certificate_enabled"); // Consumption-only; negotiation is on the hostname
  });

  test("SSL3/TLS1.0/TLS1.1 and weak ciphers off, frontend and backend, with azurerm 4.x attribute names", () => {
    const sec = one(prod, "azurerm_api_management").security;
    const expected = [
      "frontend_ssl30_enabled",
      "frontend_tls10_enabled",
      "frontend_tls11_enabled",
      "backend_ssl30_enabled",
      "backend_tls10_enabled",
      "backend_tls11_enabled",
      "triple_des_ciphers_enabled",
      "tls_rsa_with_aes128_cbc_sha_ciphers_enabled",
      "tls_rsa_with_aes256_cbc_sha_ciphers_enabled",
      "tls_rsa_with_aes128_cbc_sha256_ciphers_enabled",
      "tls_rsa_with_aes256_cbc_sha256_ciphers_enabled",
      "tls_rsa_with_aes128_gcm_sha256_ciphers_enabled",
      "tls_rsa_with_aes256_gcm_sha384_ciphers_enabled",
      "tls_ecdhe_ecdsa_with_aes128_cbc_sha_ciphers_enabled",
      "tls_ecdhe_ecdsa_with_aes256_cbc_sha_ciphers_enabled",
      "tls_ecdhe_rsa_with_aes128_cbc_sha_ciphers_enabled",
      "tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled",
    ];
    expect(Object.keys(sec).sort()).toEqual(expected.sort());
    for (const k of expected) expect(sec[k]).toBe(false);
    // the deprecated v3 spellings are not used
    expect(Object.keys(sec).some((k) => k.startsWith("enable_"))).toBe(false);
    expect(Object.values(APIM_SECURITY).every((v) => v === false)).toBe(true);
  });

  test("client certificate negotiation on the gateway hostname", () => {
    const proxy = one(prod, "azurerm_api_management").hostname_configuration.proxy;
    expect(proxy).toEqual([expect.objectContaining({ negotiate_client_certificate: true })]);
  });

  test("diagnostics: all logs to the tenant workspace; gateway logs without bodies or secrets", () => {
    expect(s).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      enabled_log: [{ category_group: "allLogs" }],
      log_analytics_destination_type: "Dedicated",
    });
    expect(s).toHaveResourceWithProperties(ApiManagementDiagnostic, {
      identifier: "azuremonitor",
      always_log_errors: true,
      sampling_percentage: 100,
    });
    const d = one(prod, "azurerm_api_management_diagnostic");
    expect(d.api_management_logger_id).toMatch(/\/loggers\/azuremonitor$/);
    for (const k of ["frontend_request", "frontend_response", "backend_request", "backend_response"]) {
      expect(d[k].body_bytes).toBe(0);
      expect(d[k].headers_to_log).not.toContain("Authorization");
    }
  });

  test("the apim NSG gets the service-tag rules APIM needs in VNet mode", () => {
    const rules = Object.values(prod.resource.azurerm_network_security_rule) as Json[];
    expect(rules.map((r) => [r.source_address_prefix, r.destination_port_range, r.access, r.direction]).sort()).toEqual(
      [
        ["ApiManagement", "3443", "Allow", "Inbound"],
        ["AzureLoadBalancer", "6390", "Allow", "Inbound"],
      ],
    );
    expect(rules[0].network_security_group_name).toMatch(/cross-stack-output.*nsg-apim/);
  });

  test("SKU by environment: Developer in dev, Premium in staging, zone-redundant Premium in prod", () => {
    expect(one(read("northwind-bank-dev-westeurope-edge"), "azurerm_api_management").sku_name).toBe("Developer_1");
    const stg = one(read("northwind-bank-staging-westeurope-edge"), "azurerm_api_management");
    expect(stg.sku_name).toBe("Premium_1");
    expect(stg.virtual_network_type).toBe("Internal");
    expect(apimSku("prod", "northcentralus")).toEqual({ skuName: "Premium_2", zones: [] });
  });

  test("every tier gets a gateway (standard too)", () => {
    expect(one(read("fabrikam-prod-westeurope-edge"), "azurerm_api_management").virtual_network_type).toBe("Internal");
  });
});

describe("gateway policies in the synthesized stack", () => {
  const prod = read("northwind-bank-prod-westeurope-edge");
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", htmlEntities: true });

  test("global and product policy XML are the builders' output, well-formed after Terraform unescaping", () => {
    const global = unescapeTerraformTemplate(one(prod, "azurerm_api_management_policy").xml_content);
    const product = unescapeTerraformTemplate(one(prod, "azurerm_api_management_product_policy").xml_content);
    expect(global).toBe(globalPolicyXml(northwind));
    expect(product).toBe(productPolicyXml(northwind));
    for (const x of [global, product]) expect(XMLValidator.validate(x)).toBe(true);
    const jwt = parser.parse(product).policies.inbound["validate-jwt"];
    expect(jwt.audiences.audience).toBe("api://northwind");
  });

  test("a product per tenant: subscription + approval required, its policy attached", () => {
    expect(JSON.stringify(prod)).toHaveResourceWithProperties(ApiManagementProduct, {
      product_id: "northwind-bank",
      subscription_required: true,
      approval_required: true,
      published: true,
    });
    expect(one(prod, "azurerm_api_management_product_policy").product_id).toMatch(/azurerm_api_management_product\./);
  });

  test("tenant strings cannot inject Terraform template expressions", () => {
    // Every `${` in the stack is either a CDKTF reference or an escaped literal `$${`.
    const raw = fs.readFileSync(
      path.join(app.outdir, "stacks", "northwind-bank-prod-westeurope-edge", "cdk.tf.json"),
      "utf8",
    );
    const templates = [...raw.matchAll(/(\$*)\$\{([^}]*)\}/g)].filter((m) => m[1].length % 2 === 0).map((m) => m[2]);
    for (const t of templates)
      expect(t).toMatch(/^(data\.terraform_remote_state|azurerm_|data\.azurerm_|terraform\.workspace$)/);
    expect(raw).toContain("$${var.secret}");
    expect(raw).toContain("%%{if true}");
    expect(one(prod, "azurerm_api_management").publisher_name).toBe('Northwind $${file("/etc/passwd")}');
    expect(one(prod, "azurerm_api_management_product").display_name).toContain("$${var.secret}");
  });
});
