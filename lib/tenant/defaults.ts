/**
 * Defaults applied to a schema-valid tenant document, and the minimums compliance frameworks impose.
 * Numbers here are the ones documented in lib/tenant/types.ts.
 */
import type { Environment, Framework, GatewayApi, Tenant, Tier } from "./types";

/** Default token claim carrying the caller's residency zone. */
export const DEFAULT_RESIDENCY_CLAIM = "data_zone";

export const TIER_DEFAULTS: Readonly<Record<Tier, { rateLimitPerMinute: number; quotaPerDay: number }>> = {
  standard: { rateLimitPerMinute: 600, quotaPerDay: 100_000 },
  premium: { rateLimitPerMinute: 3000, quotaPerDay: 1_000_000 },
  enterprise: { rateLimitPerMinute: 12000, quotaPerDay: 10_000_000 },
};

export const CLUSTER_DEFAULTS = {
  vmSize: "Standard_D4s_v5",
  minNodesProd: 3,
  minNodesNonProd: 1,
  maxNodes: 10,
  allowedRegistries: ["mcr.microsoft.com"],
  quota: { cpu: "8", memory: "32Gi", pods: 100 },
} as const;

export const DEFAULT_DATA_CLASSIFICATION = "confidential";

/** The host of a registry reference (`myacr.azurecr.io/team` → `myacr.azurecr.io`, a port dropped). */
export function registryHost(registry: string): string {
  return registry.split("/")[0].replace(/:[0-9]+$/, "");
}

/** Default egress allow-list: the hosts of the tenant's allowed registries, deduplicated, in order. */
export function defaultAllowedFqdns(registries: readonly string[]): string[] {
  return [...new Set(registries.map(registryHost))];
}

/** The tenant's egress allow-list (`egress.allowedFqdns`, else the default from its registries). */
export function allowedFqdnsOf(tenant: Pick<Tenant, "egress" | "cluster">): readonly string[] {
  return tenant.egress?.allowedFqdns ?? defaultAllowedFqdns(tenant.cluster.allowedRegistries);
}

/** Retention when no framework asks for more. */
export const BASE_RETENTION = { interactiveRetentionDays: 90, totalRetentionDays: 365 } as const;

export type RetentionField = "interactiveRetentionDays" | "totalRetentionDays" | "immutableRetentionDays";

export interface RetentionRequirement {
  readonly framework: Framework;
  readonly field: RetentionField;
  readonly minDays: number;
  /** Where the requirement comes from, quoted in error messages. */
  readonly reference: string;
}

export const RETENTION_REQUIREMENTS: readonly RetentionRequirement[] = [
  {
    framework: "pci-dss-4.0",
    field: "interactiveRetentionDays",
    minDays: 90,
    reference: "PCI DSS 4.0 requirement 10.5.1 (the last three months immediately available for analysis)",
  },
  {
    framework: "pci-dss-4.0",
    field: "totalRetentionDays",
    minDays: 365,
    reference: "PCI DSS 4.0 requirement 10.5.1 (retain audit log history for at least 12 months)",
  },
  {
    framework: "pci-dss-4.0",
    field: "immutableRetentionDays",
    minDays: 365,
    reference: "PCI DSS 4.0 requirements 10.3.2 and 10.5.1 (12 months of audit logs protected from modification)",
  },
  {
    framework: "sox",
    field: "totalRetentionDays",
    minDays: 2557,
    reference: "SOX section 802 (retain audit records for 7 years)",
  },
  {
    framework: "sox",
    field: "immutableRetentionDays",
    minDays: 2557,
    reference: "SOX section 802 (audit records kept unaltered for 7 years)",
  },
];

/** The strictest requirement on a field for a set of frameworks, if any. */
export function strictestRequirement(
  frameworks: readonly Framework[],
  field: RetentionField,
): RetentionRequirement | undefined {
  let best: RetentionRequirement | undefined;
  for (const r of RETENTION_REQUIREMENTS) {
    if (r.field === field && frameworks.includes(r.framework) && (!best || r.minDays > best.minDays)) best = r;
  }
  return best;
}

/** Default audit retention for a set of frameworks. */
export function defaultRetention(frameworks: readonly Framework[]): {
  interactiveRetentionDays: number;
  totalRetentionDays: number;
} {
  const interactive = Math.max(
    BASE_RETENTION.interactiveRetentionDays,
    strictestRequirement(frameworks, "interactiveRetentionDays")?.minDays ?? 0,
  );
  const total = Math.max(
    BASE_RETENTION.totalRetentionDays,
    strictestRequirement(frameworks, "totalRetentionDays")?.minDays ?? 0,
    strictestRequirement(frameworks, "immutableRetentionDays")?.minDays ?? 0,
  );
  return { interactiveRetentionDays: interactive, totalRetentionDays: total };
}

/** Default minimum node count of an environment. */
export function defaultMinNodes(env: Environment): number {
  return env === "prod" ? CLUSTER_DEFAULTS.minNodesProd : CLUSTER_DEFAULTS.minNodesNonProd;
}

/**
 * Minimum user nodes for one environment: the tenant's explicit `cluster.minNodes` for every environment,
 * else 3 for prod and 1 for dev/staging.
 */
export function minNodesFor(tenant: Pick<Tenant, "cluster">, env: Environment): number {
  return tenant.cluster.minNodesByEnv?.[env] ?? tenant.cluster.minNodes;
}

/** The raw (schema-valid) document shape; every optional part may be absent. */
export interface RawTenant {
  id: string;
  displayName: string;
  tier: Tier;
  frameworks: Framework[];
  residency: string;
  regions: { name: string; addressSpace: string }[];
  environments: Environment[];
  gateway: {
    publisherName: string;
    publisherEmail: string;
    oauth: { issuer: string; audience: string; requiredScopes: string[]; residencyClaim?: string };
    apis?: {
      name: string;
      displayName?: string;
      path: string;
      openapi: string;
      ownership?: { parameter: string; claim: string };
    }[];
    requestCardData?: "block" | "mask";
    internet?: { hostName: string; certificateSecretName?: string };
    rateLimitPerMinute?: number;
    quotaPerDay?: number;
    mtlsPartners?: { name: string; thumbprint: string }[];
    dlpPatterns?: { name: string; regex: string }[];
  };
  cluster?: {
    vmSize?: string;
    minNodes?: number;
    maxNodes?: number;
    allowedRegistries?: string[];
    quota?: { cpu?: string; memory?: string; pods?: number };
  };
  egress?: { allowedFqdns?: string[] };
  audit?: { interactiveRetentionDays?: number; totalRetentionDays?: number; immutableRetentionDays?: number };
  contacts: { security: string; operations: string };
  changeWindow: { days: Tenant["changeWindow"]["days"]; start: string; durationHours: number; timezone: string };
  dataClassification?: string;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o as object)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The validated tenant with every default filled in (frozen). */
export function applyDefaults(raw: RawTenant, sourceFile: string, apis: readonly GatewayApi[] = []): Tenant {
  const tier = TIER_DEFAULTS[raw.tier];
  const retention = defaultRetention(raw.frameworks);
  const interactive = raw.audit?.interactiveRetentionDays ?? retention.interactiveRetentionDays;
  const total = raw.audit?.totalRetentionDays ?? Math.max(retention.totalRetentionDays, interactive);
  const explicitMin = raw.cluster?.minNodes;
  const minNodesByEnv: Partial<Record<Environment, number>> = {};
  for (const env of raw.environments) minNodesByEnv[env] = explicitMin ?? defaultMinNodes(env);
  const minNodes = explicitMin ?? Math.max(...raw.environments.map(defaultMinNodes));
  const registries = [...(raw.cluster?.allowedRegistries ?? CLUSTER_DEFAULTS.allowedRegistries)];
  const tenant: Tenant = {
    id: raw.id,
    displayName: raw.displayName,
    tier: raw.tier,
    frameworks: [...raw.frameworks],
    residency: raw.residency,
    regions: raw.regions.map((r) => ({ name: r.name, addressSpace: r.addressSpace })),
    environments: [...raw.environments],
    gateway: {
      publisherName: raw.gateway.publisherName,
      publisherEmail: raw.gateway.publisherEmail,
      oauth: {
        issuer: raw.gateway.oauth.issuer,
        audience: raw.gateway.oauth.audience,
        requiredScopes: [...raw.gateway.oauth.requiredScopes],
        residencyClaim: raw.gateway.oauth.residencyClaim ?? DEFAULT_RESIDENCY_CLAIM,
      },
      apis: [...apis],
      requestCardData: raw.gateway.requestCardData ?? "block",
      ...(raw.gateway.internet
        ? {
            internet: {
              hostName: raw.gateway.internet.hostName,
              certificateSecretName: raw.gateway.internet.certificateSecretName ?? "gateway-tls",
            },
          }
        : {}),
      rateLimitPerMinute: raw.gateway.rateLimitPerMinute ?? tier.rateLimitPerMinute,
      quotaPerDay: raw.gateway.quotaPerDay ?? tier.quotaPerDay,
      mtlsPartners: (raw.gateway.mtlsPartners ?? []).map((p) => ({ name: p.name, thumbprint: p.thumbprint })),
      dlpPatterns: (raw.gateway.dlpPatterns ?? []).map((p) => ({ name: p.name, regex: p.regex })),
    },
    cluster: {
      vmSize: raw.cluster?.vmSize ?? CLUSTER_DEFAULTS.vmSize,
      minNodes,
      maxNodes: raw.cluster?.maxNodes ?? Math.max(CLUSTER_DEFAULTS.maxNodes, minNodes),
      allowedRegistries: registries,
      quota: {
        cpu: raw.cluster?.quota?.cpu ?? CLUSTER_DEFAULTS.quota.cpu,
        memory: raw.cluster?.quota?.memory ?? CLUSTER_DEFAULTS.quota.memory,
        pods: raw.cluster?.quota?.pods ?? CLUSTER_DEFAULTS.quota.pods,
      },
      minNodesByEnv,
    },
    egress: { allowedFqdns: [...(raw.egress?.allowedFqdns ?? defaultAllowedFqdns(registries))] },
    audit: {
      interactiveRetentionDays: interactive,
      totalRetentionDays: total,
      immutableRetentionDays: raw.audit?.immutableRetentionDays ?? total,
    },
    contacts: { security: raw.contacts.security, operations: raw.contacts.operations },
    changeWindow: {
      days: [...raw.changeWindow.days],
      start: raw.changeWindow.start,
      durationHours: raw.changeWindow.durationHours,
      timezone: raw.changeWindow.timezone,
    },
    dataClassification: raw.dataClassification ?? DEFAULT_DATA_CLASSIFICATION,
    sourceFile,
  };
  return deepFreeze(tenant);
}
