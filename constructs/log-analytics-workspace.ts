/**
 * LogAnalyticsWorkspace — the tenant's audit/log workspace (one per tenant × env × region, in the
 * foundation layer so every later layer can point its diagnostic settings at it).
 *
 * Secure by default (not props): sku PerGB2018, local (shared key) authentication off — Entra ID only,
 * ingestion and query over the public internet off (Azure Monitor Private Link Scope only), no daily cap
 * (a cap would silently drop audit records). Retention is a prop, validated against the tenant's
 * frameworks: PCI DSS 4.0 10.5.1 (≥ 90 days interactive, ≥ 365 days total), SOX (≥ 7 years total).
 * Total (interactive + archive) retention is set per audit table with `azurerm_log_analytics_workspace_table`.
 * The workspace audits itself: a diagnostic setting (constructs/diagnostic-settings.ts) sends its own
 * resource logs (query audit, `LAQueryLogs`/`Audit` category group) and metrics back into the workspace —
 * Azure's recommended pattern, and what PCI DSS 10.2 asks of every system component (who read the audit trail).
 *
 * Satisfies: ZG-LC-002, ZG-LOG-001, ZG-LOG-002, ZG-LOG-003
 * Also configures: ZG-LOG-004
 */
import { Construct } from "constructs";
import { LogAnalyticsWorkspace as AzLogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { LogAnalyticsWorkspaceTable } from "@cdktf/provider-azurerm/lib/log-analytics-workspace-table";
import type { Framework } from "../lib/tenant/types";
import { DiagnosticSettings } from "./diagnostic-settings";
import { AUDIT_TABLES } from "../lib/audit-tables";

/** Azure limits for a PerGB2018 workspace / Analytics-plan table. */
export const AZURE_MIN_INTERACTIVE_DAYS = 30;
export const AZURE_MAX_INTERACTIVE_DAYS = 730;
export const AZURE_MAX_TOTAL_DAYS = 4383;

/** Days of retention a set of frameworks requires at least. */
export interface RetentionMinimums {
  readonly interactiveDays: number;
  readonly totalDays: number;
}

/**
 * Framework minimums: PCI DSS 4.0 req. 10.5.1 — 12 months of audit history, the last 3 months immediately
 * available; SOX — 7 years (2557 days) of records; GDPR sets no minimum. Baseline: 90 interactive / 365 total.
 */
export function retentionMinimums(frameworks: readonly Framework[]): RetentionMinimums {
  let interactiveDays = 90;
  let totalDays = 365;
  if (frameworks.includes("pci-dss-4.0")) {
    interactiveDays = Math.max(interactiveDays, 90);
    totalDays = Math.max(totalDays, 365);
  }
  if (frameworks.includes("sox")) totalDays = Math.max(totalDays, 2557);
  return { interactiveDays, totalDays };
}

export { AUDIT_TABLES };

export interface LogAnalyticsWorkspaceProps {
  /** Workspace name (4–63 chars, letters, digits, hyphens). Required. */
  readonly name: string;
  /** Resource group the workspace is created in. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling). Required. */
  readonly location: string;
  /** Compliance frameworks the workspace must satisfy; they set the retention minimums. Required. */
  readonly frameworks: readonly Framework[];
  /**
   * Interactive (hot, queryable) retention in days. Validated: ≥ framework minimum (90 under PCI DSS),
   * ≤ 730.
   * @default the framework minimum (90)
   */
  readonly interactiveRetentionDays?: number;
  /**
   * Total retention (interactive + archive) in days for {@link AUDIT_TABLES}. Validated: ≥ framework
   * minimum (PCI 365, SOX 2557), ≥ interactive retention, ≤ 4383.
   * @default the framework minimum (365, or 2557 under SOX)
   */
  readonly totalRetentionDays?: number;
  /**
   * Tables to give the total retention to (must exist in the workspace).
   * @default AUDIT_TABLES
   */
  readonly auditTables?: readonly string[];
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** A hardened Log Analytics workspace with per-table total retention. */
export class LogAnalyticsWorkspace extends Construct {
  public readonly workspace: AzLogAnalyticsWorkspace;
  public readonly tables: LogAnalyticsWorkspaceTable[];
  /** The workspace's own diagnostic setting (its audit logs and metrics → itself). */
  public readonly diagnostics: DiagnosticSettings;
  public readonly interactiveRetentionDays: number;
  public readonly totalRetentionDays: number;

  constructor(scope: Construct, id: string, props: LogAnalyticsWorkspaceProps) {
    super(scope, id);
    const min = retentionMinimums(props.frameworks);
    const interactive = props.interactiveRetentionDays ?? min.interactiveDays;
    const total = props.totalRetentionDays ?? Math.max(min.totalDays, interactive);
    const where = this.node.path;
    const intOk = (n: number) => Number.isInteger(n) && n > 0;
    if (!intOk(interactive) || interactive < Math.max(min.interactiveDays, AZURE_MIN_INTERACTIVE_DAYS)) {
      throw new Error(
        `${where}: interactiveRetentionDays ${interactive} is below the minimum ${min.interactiveDays} for [${props.frameworks.join(", ")}]`,
      );
    }
    if (interactive > AZURE_MAX_INTERACTIVE_DAYS) {
      throw new Error(
        `${where}: interactiveRetentionDays ${interactive} exceeds Azure's ${AZURE_MAX_INTERACTIVE_DAYS}`,
      );
    }
    if (!intOk(total) || total < min.totalDays || total < interactive) {
      throw new Error(
        `${where}: totalRetentionDays ${total} is below the minimum ${Math.max(min.totalDays, interactive)} for [${props.frameworks.join(", ")}]`,
      );
    }
    if (total > AZURE_MAX_TOTAL_DAYS) {
      throw new Error(`${where}: totalRetentionDays ${total} exceeds Azure's ${AZURE_MAX_TOTAL_DAYS}`);
    }
    this.interactiveRetentionDays = interactive;
    this.totalRetentionDays = total;

    this.workspace = new AzLogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: interactive,
      // azurerm v4.x: `local_authentication_enabled` (replaces the deprecated `local_authentication_disabled`).
      localAuthenticationEnabled: false,
      internetIngestionEnabled: false,
      internetQueryEnabled: false,
      allowResourceOnlyPermissions: true,
      tags: props.tags,
    });

    this.tables = (props.auditTables ?? AUDIT_TABLES).map(
      (table) =>
        new LogAnalyticsWorkspaceTable(this, `table-${table}`, {
          name: table,
          workspaceId: this.workspace.id,
          plan: "Analytics",
          retentionInDays: interactive,
          totalRetentionInDays: total,
        }),
    );

    // Workspace audit logs (who queried the audit trail) → the workspace itself. Not a prop: always on.
    this.diagnostics = new DiagnosticSettings(this, "diagnostics", {
      targetResourceId: this.workspace.id,
      workspaceId: this.workspace.id,
    });
  }

  /** Resource id of the workspace (for diagnostic settings, data export, AKS OMS, traffic analytics). */
  public get id(): string {
    return this.workspace.id;
  }
  /** Workspace (customer) id GUID — traffic analytics needs it. */
  public get workspaceGuid(): string {
    return this.workspace.workspaceId;
  }
  public get name(): string {
    return this.workspace.name;
  }
  public get location(): string {
    return this.workspace.location;
  }
}
