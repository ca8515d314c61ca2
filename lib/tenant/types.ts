/**
 * The tenant model: what one `tenants/<id>.yaml` file becomes after loading and validation.
 *
 * This file is the contract between the loader (lib/tenant/load.ts), the stacks (stacks/) and the
 * deployment matrix (scripts/). The JSON Schema in lib/tenant/tenant.schema.json validates the YAML;
 * these interfaces describe the validated, defaults-applied result.
 */

/** Service tier. `standard` tenants share the region's platform AKS cluster; the others get dedicated clusters. */
export type Tier = "standard" | "premium" | "enterprise";

/** Compliance frameworks a tenant is bound to. Drives retention, enforcement and reporting. */
export type Framework = "pci-dss-4.0" | "gdpr" | "sox";

/** Deployment environment. Enforcement of gate rules and Kyverno policies depends on it. */
export type Environment = "dev" | "staging" | "prod";

/** The layers, in dependency order; one TerraformStack per tenant × env × region × layer. */
export const LAYERS = ["foundation", "network", "security", "audit", "compute", "edge"] as const;
export type Layer = (typeof LAYERS)[number];

export interface TenantRegion {
  /** Azure region name as ARM spells it, e.g. `westeurope`. Must be in the tenant's residency zone. */
  readonly name: string;
  /**
   * IPv4 CIDR of the region's VNet, e.g. `10.20.0.0/16`: private (RFC 1918), prefix /16 to /24, no host bits.
   * No overlap across the estate (all tenants, all regions).
   */
  readonly addressSpace: string;
}

export interface OAuthSettings {
  /** OIDC issuer URL (https), e.g. `https://login.microsoftonline.com/<tid>/v2.0`. */
  readonly issuer: string;
  /** Required `aud` claim. */
  readonly audience: string;
  /** Scopes every call must carry (`scp` claim). */
  readonly requiredScopes: readonly string[];
  /**
   * Claim carrying the caller's residency zone; validate-jwt requires it to equal the tenant's residency.
   * Default `data_zone` (optional so hand-built tenants need not set it).
   */
  readonly residencyClaim?: string;
}

export interface MtlsPartner {
  /** Partner name, used in policy comments and identifiers. */
  readonly name: string;
  /** SHA-1 thumbprint (40 hex) of the partner's client certificate. */
  readonly thumbprint: string;
}

export interface DlpPattern {
  /** Name of the pattern, e.g. `iban`. */
  readonly name: string;
  /** .NET regular expression whose matches are masked in responses. */
  readonly regex: string;
}

/** One operation of an imported OpenAPI document. */
export interface GatewayApiOperation {
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path template, e.g. `/accounts/{accountId}`. */
  readonly path: string;
  readonly pathParameters: readonly string[];
}

/** An API the gateway publishes (`gateway.apis[]`), with its OpenAPI document as loaded and checked. */
export interface GatewayApi {
  readonly name: string;
  readonly displayName: string;
  /** URL suffix on the gateway. */
  readonly path: string;
  /** The OpenAPI file, relative to the tenants directory. */
  readonly openapi: string;
  /** `openapi` (YAML) or `openapi+json`: APIM's import format. */
  readonly format: "openapi" | "openapi+json";
  /** The document text, imported unchanged. */
  readonly content: string;
  readonly version: string;
  readonly operations: readonly GatewayApiOperation[];
  /** BOLA guard: the path parameter naming the object must be a value of this token claim. */
  readonly ownership?: { readonly parameter: string; readonly claim: string };
}

export interface InternetPublishing {
  /** Public host name of the APIs (listener host name, certificate subject). */
  readonly hostName: string;
  /** Name of the TLS certificate in the tenant's Key Vault. Default `gateway-tls`. */
  readonly certificateSecretName: string;
}

export interface GatewaySettings {
  readonly publisherName: string;
  readonly publisherEmail: string;
  readonly oauth: OAuthSettings;
  /** APIs imported from OpenAPI documents (optional so hand-built tenants need not set it; loader default []). */
  readonly apis?: readonly GatewayApi[];
  /** Card number in a request body: `block` (default) or `mask`. */
  readonly requestCardData?: "block" | "mask";
  /** Publish the APIs to the internet through a WAF (absent: private only). */
  readonly internet?: InternetPublishing;
  /** Calls per minute per caller (subscription/client id). Default by tier: standard 600, premium 3000, enterprise 12000. */
  readonly rateLimitPerMinute: number;
  /** Calls per day per caller. Default by tier: standard 100k, premium 1M, enterprise 10M. */
  readonly quotaPerDay: number;
  /** mTLS partners; empty = no client certificate required beyond negotiation. */
  readonly mtlsPartners: readonly MtlsPartner[];
  /** Extra DLP patterns masked in responses, in addition to PAN masking (always on). */
  readonly dlpPatterns: readonly DlpPattern[];
}

export interface ClusterSizing {
  /** VM size of user node pools. Default `Standard_D4s_v5`. */
  readonly vmSize: string;
  /** Minimum user nodes (autoscaler). Default 3 (prod), 1 (dev/staging). */
  readonly minNodes: number;
  /** Maximum user nodes (autoscaler). Default 10. */
  readonly maxNodes: number;
  /** Container registries images may come from (Kyverno). Default `["mcr.microsoft.com"]`. */
  readonly allowedRegistries: readonly string[];
  /** Namespace resource quota for standard-tier tenants on the shared cluster. Default cpu 8, memory 32Gi, pods 100. */
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /**
   * Minimum user nodes per environment, as the loader resolved it: the explicit `minNodes` for every
   * environment, else 3 for prod and 1 for dev/staging. `minNodes` itself is then the largest of these.
   * Optional so hand-built tenants (tests) need not set it; read it through `minNodesFor(tenant, env)`
   * from lib/tenant/defaults.ts.
   */
  readonly minNodesByEnv?: Readonly<Partial<Record<Environment, number>>>;
}

export interface EgressSettings {
  /**
   * Host names workloads may reach over HTTPS through the egress firewall (a leading `*.` allows subdomains),
   * besides AKS's own dependencies. Default: the hosts of `cluster.allowedRegistries`.
   */
  readonly allowedFqdns: readonly string[];
}

export interface AuditSettings {
  /** Days of interactive Log Analytics retention. Default (and minimum under PCI DSS 10.5.1): 90. */
  readonly interactiveRetentionDays: number;
  /** Days of total retention (interactive + archive). Default: PCI 365, SOX 2557 (7 years), else 365. */
  readonly totalRetentionDays: number;
  /** Days of the WORM (immutable) archive retention policy. Default = totalRetentionDays. */
  readonly immutableRetentionDays: number;
}

export interface Contacts {
  readonly security: string;
  readonly operations: string;
}

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface ChangeWindow {
  /** Days on which prod changes may be applied. */
  readonly days: readonly Weekday[];
  /** Start time `HH:MM` in `timezone`. */
  readonly start: string;
  /** Length of the window in hours (1–24). */
  readonly durationHours: number;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timezone: string;
}

/** A validated tenant, with defaults applied. */
export interface Tenant {
  /** Lowercase DNS-label id (2–20 chars, `[a-z][a-z0-9-]*`), equal to the file's base name. */
  readonly id: string;
  readonly displayName: string;
  readonly tier: Tier;
  readonly frameworks: readonly Framework[];
  /** Residency zone id from policies/data/residency.json, e.g. `eu`. */
  readonly residency: string;
  readonly regions: readonly TenantRegion[];
  readonly environments: readonly Environment[];
  readonly gateway: GatewaySettings;
  readonly cluster: ClusterSizing;
  /**
   * Egress allow-list. The loader always sets it; optional so hand-built tenants (tests) need not — read it through
   * `allowedFqdnsOf(tenant)` from lib/tenant/defaults.ts.
   */
  readonly egress?: EgressSettings;
  readonly audit: AuditSettings;
  readonly contacts: Contacts;
  readonly changeWindow: ChangeWindow;
  /** Data classification label required on workloads (Kyverno). Default `confidential`. */
  readonly dataClassification: string;
  /** Where the tenant came from (repo-relative path), for error messages and reports. */
  readonly sourceFile: string;
}
