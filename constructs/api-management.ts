/**
 * ApiManagement — a tenant's API gateway, reachable only privately, TLS 1.2+ with strong ciphers only.
 *
 * Always on (not props):
 *  - internal VNet mode in the landing zone's `apim` subnet (no public gateway endpoint);
 *  - system-assigned managed identity (Key Vault certificates, backends with Entra ID);
 *  - SSL 3.0, TLS 1.0 and TLS 1.1 off on the frontend AND the backend, and every cipher suite without forward
 *    secrecy or with CBC off: 3DES, all TLS_RSA_* (CBC and GCM — RSA key exchange has no forward secrecy) and the
 *    TLS_ECDHE_*_CBC_* suites. Attribute names are azurerm 4.x's `*_enabled` forms (`frontend_tls10_enabled`,
 *    `tls_rsa_with_aes128_cbc_sha_ciphers_enabled`, …); the deprecated `enable_*` forms are not used;
 *  - client certificate negotiation on the gateway hostname (`negotiate_client_certificate`), so
 *    `validate-client-certificate` can check mTLS partners (`client_certificate_enabled` only exists for the
 *    Consumption SKU, which has no VNet integration, and is therefore not used);
 *  - management API versions older than 2021-08-01 refused (`min_api_version`; older versions could read secrets),
 *    developer-portal sign-up off, tenant (direct management) access off;
 *  - diagnostics: all resource logs + metrics to the tenant workspace through DiagnosticSettings, and the
 *    service-level `azuremonitor` diagnostic with bodies NOT logged (0 bytes — responses may hold card data before
 *    masking, requests may hold credentials), W3C correlation, errors always logged, secret query params hidden.
 *
 * Not secure by default, and why: `public_network_access_enabled` must be true when the service is created
 * (an Azure API constraint; it governs only the management plane — the gateway stays internal). Set
 * `publicNetworkAccessEnabled: false` in a later apply once the instance exists.
 *
 * Satisfies: ZG-APIM-001, ZG-APIM-002, ZG-APIM-003, ZG-APIM-004, ZG-GW-002, ZG-RES-003
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import { ApiManagement as AzApiManagement } from "@cdktf/provider-azurerm/lib/api-management";
import { ApiManagementDiagnostic } from "@cdktf/provider-azurerm/lib/api-management-diagnostic";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import type { Environment } from "../lib/tenant/types";
import { DiagnosticSettings } from "./diagnostic-settings";
import { availabilityZones } from "./aks-cluster";

/** The TLS/cipher settings (azurerm 4.x attribute names, camelCase as CDKTF spells them). All false. */
export const APIM_SECURITY = {
  frontendSsl30Enabled: false,
  frontendTls10Enabled: false,
  frontendTls11Enabled: false,
  backendSsl30Enabled: false,
  backendTls10Enabled: false,
  backendTls11Enabled: false,
  tripleDesCiphersEnabled: false,
  tlsRsaWithAes128CbcShaCiphersEnabled: false,
  tlsRsaWithAes256CbcShaCiphersEnabled: false,
  tlsRsaWithAes128CbcSha256CiphersEnabled: false,
  tlsRsaWithAes256CbcSha256CiphersEnabled: false,
  tlsRsaWithAes128GcmSha256CiphersEnabled: false,
  tlsRsaWithAes256GcmSha384CiphersEnabled: false,
  tlsEcdheEcdsaWithAes128CbcShaCiphersEnabled: false,
  tlsEcdheEcdsaWithAes256CbcShaCiphersEnabled: false,
  tlsEcdheRsaWithAes128CbcShaCiphersEnabled: false,
  tlsEcdheRsaWithAes256CbcShaCiphersEnabled: false,
} as const;

/** Query parameters never written to logs. */
export const MASKED_QUERY_PARAMS: readonly string[] = ["access_token", "code", "token", "sig", "client_secret"];
/** Headers written to logs (no Authorization, no cookies). */
export const LOGGED_HEADERS: readonly string[] = ["X-Data-Region", "X-Request-Id", "traceparent"];

export interface ApiManagementSku {
  readonly skuName: string;
  readonly zones: string[];
}

/**
 * SKU per environment: Developer_1 in dev (no SLA, no zones, but the same VNet/policy engine); Premium_1 in
 * staging (the prod SKU family, so VNet, mTLS and policy behaviour are identical; one unit, no zone redundancy —
 * availability is not what staging proves); Premium_3 over three zones in prod (Premium_2 without zones where
 * the region has none).
 */
export function apimSku(env: Environment, region: string): ApiManagementSku {
  if (env === "dev") return { skuName: "Developer_1", zones: [] };
  if (env === "staging") return { skuName: "Premium_1", zones: [] };
  const zones = availabilityZones(region);
  return zones.length ? { skuName: `Premium_${zones.length}`, zones } : { skuName: "Premium_2", zones: [] };
}

export interface ApiManagementProps {
  /** Service name (globally unique). Required. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Environment: drives the SKU. Required. */
  readonly env: Environment;
  /** The landing zone's `apim` subnet. Required. */
  readonly subnetId: string;
  readonly publisherName: string;
  readonly publisherEmail: string;
  /** Log Analytics workspace (foundation layer). Required. */
  readonly workspaceId: string;
  /**
   * NSG of the apim subnet: when given, the service-tag rules APIM needs in VNet mode are added to it
   * (ApiManagement → 3443 management endpoint, AzureLoadBalancer → 6390 health probe).
   * @default none (the NSG must already allow them)
   */
  readonly nsg?: { readonly name: string; readonly resourceGroupName: string };
  /**
   * SKU override.
   * @default apimSku(env, location)
   */
  readonly sku?: ApiManagementSku;
  /**
   * Custom gateway hostname with a Key Vault certificate (the identity needs Key Vault Secrets User on it).
   * @default the built-in `<name>.azure-api.net` hostname
   */
  readonly gatewayHostname?: { readonly hostName: string; readonly keyVaultCertificateId: string };
  /**
   * Management-plane public network access. Azure requires true at creation; set false afterwards.
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class ApiManagement extends Construct {
  public readonly service: AzApiManagement;
  public readonly diagnostics: DiagnosticSettings;
  public readonly gatewayDiagnostic: ApiManagementDiagnostic;
  public readonly nsgRules: NetworkSecurityRule[] = [];

  constructor(scope: Construct, id: string, props: ApiManagementProps) {
    super(scope, id);
    const sku = props.sku ?? apimSku(props.env, props.location);
    if (!/^(Developer|Premium)_\d+$/.test(sku.skuName)) {
      // Only Developer and Premium support VNet injection (internal mode) in the classic tiers.
      throw new Error(`${this.node.path}: SKU ${sku.skuName} does not support internal VNet mode`);
    }

    if (props.nsg) {
      const rule = (rid: string, name: string, priority: number, source: string, port: string) =>
        new NetworkSecurityRule(this, rid, {
          name,
          description: "zonegate: required by API Management in VNet mode",
          networkSecurityGroupName: props.nsg!.name,
          resourceGroupName: props.nsg!.resourceGroupName,
          priority,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: source,
          sourcePortRange: "*",
          destinationAddressPrefix: "VirtualNetwork",
          destinationPortRange: port,
        });
      this.nsgRules.push(
        rule("nsg-management", "AllowApiManagementManagement", 100, "ApiManagement", "3443"),
        rule("nsg-lb-probe", "AllowAzureLoadBalancerProbe", 110, "AzureLoadBalancer", "6390"),
      );
    }

    const proxyHost = props.gatewayHostname
      ? {
          hostName: props.gatewayHostname.hostName,
          keyVaultCertificateId: props.gatewayHostname.keyVaultCertificateId,
          negotiateClientCertificate: true,
          defaultSslBinding: true,
        }
      : { hostName: `${props.name}.azure-api.net`, negotiateClientCertificate: true };

    this.service = new AzApiManagement(this, "service", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      publisherName: props.publisherName,
      publisherEmail: props.publisherEmail,
      skuName: sku.skuName,
      zones: sku.zones.length ? sku.zones : undefined,
      virtualNetworkType: "Internal",
      virtualNetworkConfiguration: { subnetId: props.subnetId },
      identity: { type: "SystemAssigned" },
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
      minApiVersion: "2021-08-01",
      security: { ...APIM_SECURITY },
      protocols: { http2Enabled: true },
      hostnameConfiguration: { proxy: [proxyHost] },
      signUp: { enabled: false, termsOfService: { enabled: false, consentRequired: false } },
      tenantAccess: { enabled: false },
      tags: props.tags ?? {},
      dependsOn: this.nsgRules.length ? this.nsgRules : undefined,
    });

    this.diagnostics = new DiagnosticSettings(this, "diagnostics", {
      targetResourceId: this.service.id,
      workspaceId: props.workspaceId,
      dedicatedTables: true,
    });

    const io = {
      bodyBytes: 0,
      headersToLog: [...LOGGED_HEADERS],
      dataMasking: { queryParams: MASKED_QUERY_PARAMS.map((value) => ({ mode: "Hide", value })) },
    };
    this.gatewayDiagnostic = new ApiManagementDiagnostic(this, "gateway-diagnostic", {
      identifier: "azuremonitor",
      apiManagementName: this.service.name,
      resourceGroupName: props.resourceGroupName,
      // The built-in Azure Monitor logger every instance has (resource logs flow through the diagnostic setting).
      apiManagementLoggerId: `${this.service.id}/loggers/azuremonitor`,
      samplingPercentage: 100,
      alwaysLogErrors: true,
      logClientIp: true,
      verbosity: "information",
      httpCorrelationProtocol: "W3C",
      frontendRequest: io,
      frontendResponse: io,
      backendRequest: io,
      backendResponse: io,
      dependsOn: [this.diagnostics.setting],
    });
  }

  public get id(): string {
    return this.service.id;
  }

  public get name(): string {
    return this.service.name;
  }
}
