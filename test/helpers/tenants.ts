/**
 * Test tenants conforming to lib/tenant/types.ts (no YAML/loader needed), for construct and stack suites.
 */
import type { Environment, Framework, Tenant, TenantRegion, Tier } from "../../lib/tenant/types";

export interface TestTenantOptions {
  id?: string;
  tier?: Tier;
  frameworks?: Framework[];
  residency?: string;
  regions?: TenantRegion[];
  environments?: Environment[];
  audit?: Partial<Tenant["audit"]>;
}

/** A valid tenant with defaults applied the way the loader applies them. */
export function testTenant(o: TestTenantOptions = {}): Tenant {
  const frameworks = o.frameworks ?? ["pci-dss-4.0", "gdpr"];
  const tier = o.tier ?? "premium";
  const total = frameworks.includes("sox") ? 2557 : 365;
  const audit = {
    interactiveRetentionDays: 90,
    totalRetentionDays: total,
    immutableRetentionDays: o.audit?.totalRetentionDays ?? total,
    ...o.audit,
  };
  return {
    id: o.id ?? "northwind-bank",
    displayName: "Northwind Bank",
    tier,
    frameworks,
    residency: o.residency ?? "eu",
    regions: o.regions ?? [{ name: "westeurope", addressSpace: "10.20.0.0/16" }],
    environments: o.environments ?? ["prod"],
    gateway: {
      publisherName: "Northwind",
      publisherEmail: "api@northwind.example",
      oauth: {
        issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        audience: "api://northwind",
        requiredScopes: ["payments.read"],
      },
      rateLimitPerMinute: tier === "standard" ? 600 : tier === "premium" ? 3000 : 12000,
      quotaPerDay: tier === "standard" ? 100_000 : tier === "premium" ? 1_000_000 : 10_000_000,
      mtlsPartners: [],
      dlpPatterns: [],
    },
    cluster: {
      vmSize: "Standard_D4s_v5",
      minNodes: 3,
      maxNodes: 10,
      allowedRegistries: ["mcr.microsoft.com"],
      quota: { cpu: "8", memory: "32Gi", pods: 100 },
    },
    audit,
    contacts: { security: "sec@northwind.example", operations: "ops@northwind.example" },
    changeWindow: { days: ["sat"], start: "02:00", durationHours: 4, timezone: "Europe/Berlin" },
    dataClassification: "confidential",
    sourceFile: `tenants/${o.id ?? "northwind-bank"}.yaml`,
  };
}

/** Three tenants of different tiers, zones and framework sets (2 + 2×2 + 1 = 7 env×region pairs). */
export function testTenants(): Tenant[] {
  return [
    testTenant({
      id: "northwind-bank",
      tier: "enterprise",
      frameworks: ["pci-dss-4.0", "gdpr", "sox"],
      environments: ["staging", "prod"],
    }),
    testTenant({
      id: "contoso-pay",
      tier: "premium",
      frameworks: ["pci-dss-4.0"],
      residency: "us",
      regions: [
        { name: "eastus", addressSpace: "10.40.0.0/16" },
        { name: "centralus", addressSpace: "10.41.0.0/20" },
      ],
      environments: ["dev", "prod"],
    }),
    testTenant({
      id: "fabrikam",
      tier: "standard",
      frameworks: ["gdpr"],
      regions: [{ name: "germanywestcentral", addressSpace: "10.60.0.0/22" }],
      environments: ["dev"],
    }),
  ];
}
