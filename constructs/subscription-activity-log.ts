/**
 * SubscriptionActivityLog — the subscription's Activity Log (control-plane audit trail: who changed what, policy
 * and security events) exported to the tenant's Log Analytics workspace, so the workspace's `AzureActivity` table
 * has a source and its data export reaches the WORM archive (PCI DSS 10.2.1, 10.2.1.2, 10.2.2, 10.3.3).
 *
 * Always on (not props): every Activity Log category (Administrative, Security, ServiceHealth, Alert,
 * Recommendation, Policy, Autoscale, ResourceHealth) is sent; the target is the current subscription
 * (`data.azurerm_subscription.current`). A subscription holds at most five diagnostic settings, and their names must
 * be unique within it, so the name carries the tenant × env (shared non-production subscriptions hold one setting per
 * tenant). Build it once per subscription (the stacks: the first region's audit stack of a tenant × env, the
 * platform stack — each platform env × region is its own subscription).
 *
 * Satisfies: ZG-MON-001
 */
import { Construct } from "constructs";
import { DataAzurermSubscription } from "@cdktf/provider-azurerm/lib/data-azurerm-subscription";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

/** Activity Log categories (subscription diagnostic settings take categories, not category groups). */
export const ACTIVITY_LOG_CATEGORIES: readonly string[] = [
  "Administrative",
  "Security",
  "ServiceHealth",
  "Alert",
  "Recommendation",
  "Policy",
  "Autoscale",
  "ResourceHealth",
];

export interface SubscriptionActivityLogProps {
  /** Log Analytics workspace resource id (the foundation layer's workspace). Required. */
  readonly workspaceId: string;
  /** Name of the diagnostic setting, unique in the subscription (e.g. `zonegate-activity-<tenant>-<env>`). Required. */
  readonly name: string;
  /**
   * Subscription resource id (`/subscriptions/<id>`).
   * @default the current subscription (data.azurerm_subscription.current)
   */
  readonly subscriptionResourceId?: string;
}

export class SubscriptionActivityLog extends Construct {
  public readonly setting: MonitorDiagnosticSetting;
  /** The subscription resource id the Activity Log is collected from. */
  public readonly subscriptionResourceId: string;

  constructor(scope: Construct, id: string, props: SubscriptionActivityLogProps) {
    super(scope, id);
    if (!props.workspaceId || !props.name) throw new Error(`${this.node.path}: workspaceId and name are required`);
    this.subscriptionResourceId = props.subscriptionResourceId ?? new DataAzurermSubscription(this, "current", {}).id;
    this.setting = new MonitorDiagnosticSetting(this, "setting", {
      name: props.name,
      targetResourceId: this.subscriptionResourceId,
      logAnalyticsWorkspaceId: props.workspaceId,
      enabledLog: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category })),
    });
  }
}
