/**
 * DiagnosticSettings — the one way every zonegate layer ships resource logs and metrics to the tenant's
 * Log Analytics workspace (which lives in the foundation layer).
 *
 * Secure by default: every log category (`category_group = "allLogs"`) and every metric (`AllMetrics`) is
 * sent; there is no prop to pick a subset of categories. The only switches are for resource types that
 * Azure itself does not give logs or metrics for (e.g. NSGs have no metrics, a storage *account* has no
 * logs — its blob service has), because Azure rejects a diagnostic setting asking for them.
 *
 * Satisfies: ZG-LOG-004
 */
import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

export interface DiagnosticSettingsProps {
  /** Resource id whose logs and metrics are collected. Required. */
  readonly targetResourceId: string;
  /** Resource id of the Log Analytics workspace that receives them (the foundation layer's workspace). Required. */
  readonly workspaceId: string;
  /**
   * Name of the diagnostic setting (unique per target resource).
   * @default "zonegate-audit"
   */
  readonly name?: string;
  /**
   * Send every log category (`category_group = "allLogs"`). Set to false only for resource types that
   * have no log categories at all (e.g. a storage account itself, as opposed to its blob service).
   * @default true
   */
  readonly logs?: boolean;
  /**
   * Send `AllMetrics`. Set to false only for resource types that expose no metrics (e.g. NSGs).
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * Write to resource-specific tables (`log_analytics_destination_type = "Dedicated"`) instead of the
   * shared `AzureDiagnostics` table. Set true for resource types that support it (AKS, API Management);
   * types that do not support it make the provider report a perpetual diff.
   * @default false (AzureDiagnostics)
   */
  readonly dedicatedTables?: boolean;
}

/** A `azurerm_monitor_diagnostic_setting` sending all logs + all metrics to the tenant workspace. */
export class DiagnosticSettings extends Construct {
  /** The underlying Terraform resource. */
  public readonly setting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: DiagnosticSettingsProps) {
    super(scope, id);
    const logs = props.logs ?? true;
    const metrics = props.metrics ?? true;
    if (!logs && !metrics) {
      throw new Error(`${this.node.path}: a diagnostic setting must send logs, metrics or both`);
    }
    if (!props.targetResourceId || !props.workspaceId) {
      throw new Error(`${this.node.path}: targetResourceId and workspaceId are required`);
    }
    this.setting = new MonitorDiagnosticSetting(this, "setting", {
      name: props.name ?? "zonegate-audit",
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.workspaceId,
      logAnalyticsDestinationType: props.dedicatedTables ? "Dedicated" : undefined,
      // azurerm v4.x: `enabled_log` + `enabled_metric` (the older `metric` block is deprecated for v5).
      enabledLog: logs ? [{ categoryGroup: "allLogs" }] : undefined,
      enabledMetric: metrics ? [{ category: "AllMetrics" }] : undefined,
    });
  }

  /** Resource id of the diagnostic setting. */
  public get id(): string {
    return this.setting.id;
  }
}
