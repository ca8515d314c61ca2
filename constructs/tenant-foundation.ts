/**
 * TenantFoundation — the foundation layer of one tenant × env × region: the resource group with the
 * mandatory zonegate tags, a CanNotDelete lock in prod, and the tenant's Log Analytics workspace.
 *
 * Secure by default (not props): the mandatory tags are always written (and cannot be overridden by
 * `extraTags`), prod always gets the delete lock, the workspace is hardened (see log-analytics-workspace.ts).
 *
 * Satisfies: ZG-RES-001, ZG-RES-004, ZG-TAG-001
 */
import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import type { Environment, Tenant } from "../lib/tenant/types";
import { LogAnalyticsWorkspace } from "./log-analytics-workspace";

/** Tag keys every zonegate resource group carries. */
export const MANDATORY_TAG_KEYS = [
  "tenant",
  "tier",
  "env",
  "residency",
  "compliance",
  "managed-by",
  "data-classification",
] as const;

/**
 * The mandatory tags for a tenant × env (`compliance` is the frameworks joined with `,`;
 * `cost-center` only when given). Extra tags never override a mandatory key.
 */
export function tenantTags(
  tenant: Tenant,
  env: Environment,
  costCenter?: string,
  extraTags: Record<string, string> = {},
): Record<string, string> {
  const mandatory: Record<string, string> = {
    tenant: tenant.id,
    tier: tenant.tier,
    env,
    residency: tenant.residency,
    compliance: [...tenant.frameworks].sort().join(",") || "none",
    "managed-by": "zonegate",
    "data-classification": tenant.dataClassification,
  };
  if (costCenter) mandatory["cost-center"] = costCenter;
  return { ...extraTags, ...mandatory };
}

export interface TenantFoundationProps {
  /** The tenant. Required. */
  readonly tenant: Tenant;
  /** Environment. Required. */
  readonly env: Environment;
  /** Azure region (ARM spelling); must be one of the tenant's regions. Required. */
  readonly region: string;
  /** Resource group name. Required (from lib/naming.ts in the stacks). */
  readonly resourceGroupName: string;
  /** Log Analytics workspace name. Required (from lib/naming.ts in the stacks). */
  readonly workspaceName: string;
  /**
   * Cost center written as the `cost-center` tag.
   * @default no cost-center tag
   */
  readonly costCenter?: string;
  /**
   * Additional tags; they can never replace a mandatory tag.
   * @default {}
   */
  readonly extraTags?: Record<string, string>;
  /**
   * Interactive workspace retention in days (validated ≥ framework minimum).
   * @default tenant.audit.interactiveRetentionDays
   */
  readonly interactiveRetentionDays?: number;
  /**
   * Total workspace retention in days (validated ≥ framework minimum).
   * @default tenant.audit.totalRetentionDays
   */
  readonly totalRetentionDays?: number;
}

export class TenantFoundation extends Construct {
  public readonly resourceGroup: ResourceGroup;
  public readonly workspace: LogAnalyticsWorkspace;
  /** The CanNotDelete lock (prod only). */
  public readonly lock?: ManagementLock;
  /** Tags applied to every resource of the tenant × env × region. */
  public readonly tags: Record<string, string>;

  constructor(scope: Construct, id: string, props: TenantFoundationProps) {
    super(scope, id);
    const { tenant, env, region } = props;
    if (!tenant.regions.some((r) => r.name === region)) {
      throw new Error(`${this.node.path}: region "${region}" is not a region of tenant "${tenant.id}"`);
    }
    if (!tenant.environments.includes(env)) {
      throw new Error(`${this.node.path}: env "${env}" is not an environment of tenant "${tenant.id}"`);
    }
    this.tags = tenantTags(tenant, env, props.costCenter, props.extraTags);

    this.resourceGroup = new ResourceGroup(this, "rg", {
      name: props.resourceGroupName,
      location: region,
      tags: this.tags,
    });

    if (env === "prod") {
      this.lock = new ManagementLock(this, "lock", {
        name: "zonegate-prod-cannot-delete",
        scope: this.resourceGroup.id,
        lockLevel: "CanNotDelete",
        notes: `Production landing zone of tenant ${tenant.id}; managed by zonegate.`,
      });
    }

    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.workspaceName,
      resourceGroupName: this.resourceGroup.name,
      location: region,
      frameworks: tenant.frameworks,
      interactiveRetentionDays: props.interactiveRetentionDays ?? tenant.audit.interactiveRetentionDays,
      totalRetentionDays: props.totalRetentionDays ?? tenant.audit.totalRetentionDays,
      tags: this.tags,
    });
  }
}
