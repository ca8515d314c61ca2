/**
 * WorkspaceDataExport — Log Analytics data export of the audit tables to the immutable archive, so the
 * audit trail also exists outside the workspace, in WORM storage, for the full retention period.
 *
 * Satisfies: none
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { LogAnalyticsDataExportRule } from "@cdktf/provider-azurerm/lib/log-analytics-data-export-rule";

/** Tables exported by default: activity log, resource diagnostics, storage, AKS audit and API gateway logs. */
export const EXPORTED_TABLES: readonly string[] = [
  "AzureActivity",
  "AzureDiagnostics",
  "StorageBlobLogs",
  "AKSAudit",
  "AKSAuditAdmin",
  "ApiManagementGatewayLogs",
];

export interface WorkspaceDataExportProps {
  /** Rule name. Required. */
  readonly name: string;
  /** Resource group of the workspace. Required. */
  readonly workspaceResourceGroupName: string;
  /** Workspace resource id. Required. */
  readonly workspaceId: string;
  /** Destination storage account id (the immutable archive, same region as the workspace). Required. */
  readonly destinationStorageAccountId: string;
  /**
   * Tables to export (must exist in the workspace and support export; max 10 rules per workspace).
   * @default EXPORTED_TABLES
   */
  readonly tables?: readonly string[];
  /**
   * Resources the rule waits for (the WORM policies of the `am-<table>` containers, so nothing is
   * exported before the containers are immutable).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class WorkspaceDataExport extends Construct {
  public readonly rule: LogAnalyticsDataExportRule;

  constructor(scope: Construct, id: string, props: WorkspaceDataExportProps) {
    super(scope, id);
    const tables = [...(props.tables ?? EXPORTED_TABLES)];
    if (tables.length === 0) throw new Error(`${this.node.path}: at least one table must be exported`);
    this.rule = new LogAnalyticsDataExportRule(this, "rule", {
      name: props.name,
      resourceGroupName: props.workspaceResourceGroupName,
      workspaceResourceId: props.workspaceId,
      destinationResourceId: props.destinationStorageAccountId,
      tableNames: tables,
      enabled: true,
      dependsOn: props.dependsOn,
    });
  }
}
