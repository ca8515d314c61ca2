import type { ChangeWindow, Environment, Tenant, Tier } from "../../lib/tenant/types";

/** A validated tenant for tests; only the fields the delivery code reads matter. */
export function tenant(
  id: string,
  tier: Tier,
  opts: {
    environments?: Environment[];
    regions?: string[];
    changeWindow?: Partial<ChangeWindow>;
  } = {},
): Tenant {
  const regions = opts.regions ?? ["westeurope"];
  return {
    id,
    displayName: id,
    tier,
    frameworks: ["pci-dss-4.0"],
    residency: "eu",
    regions: regions.map((name, i) => ({ name, addressSpace: `10.${i + 10}.0.0/16` })),
    environments: opts.environments ?? ["dev", "prod"],
    gateway: {
      publisherName: id,
      publisherEmail: `ops@${id}.example`,
      oauth: { issuer: "https://login.example/v2.0", audience: "api://x", requiredScopes: [] },
      rateLimitPerMinute: 600,
      quotaPerDay: 100000,
      mtlsPartners: [],
      dlpPatterns: [],
    },
    cluster: {
      vmSize: "Standard_D4s_v5",
      minNodes: 1,
      maxNodes: 3,
      allowedRegistries: ["mcr.microsoft.com"],
      quota: { cpu: "4", memory: "8Gi", pods: 20 },
    },
    audit: { interactiveRetentionDays: 90, totalRetentionDays: 365, immutableRetentionDays: 365 },
    contacts: { security: "sec@example.com", operations: "ops@example.com" },
    changeWindow: {
      days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      start: "00:00",
      durationHours: 24,
      timezone: "UTC",
      ...opts.changeWindow,
    },
    dataClassification: "confidential",
    sourceFile: `tenants/${id}.yaml`,
  };
}
