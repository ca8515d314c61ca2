// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { SubscriptionActivityLog, ACTIVITY_LOG_CATEGORIES } from "../../constructs/subscription-activity-log";
import { parse } from "../helpers/synth";

Testing.setupJest();

describe("SubscriptionActivityLog", () => {
  const out = Testing.synthScope((s) => {
    new SubscriptionActivityLog(s, "activity", { name: "zonegate-activity-t-prod", workspaceId: "/ws" });
  });

  it("sends every Activity Log category of the current subscription to the workspace", () => {
    const tf = parse(out);
    expect(Object.keys((tf.data as Record<string, unknown>).azurerm_subscription as object)).toHaveLength(1);
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      name: "zonegate-activity-t-prod",
      log_analytics_workspace_id: "/ws",
      target_resource_id: expect.stringContaining("data.azurerm_subscription."),
      enabled_log: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category })),
    });
    expect(ACTIVITY_LOG_CATEGORIES).toEqual(expect.arrayContaining(["Administrative", "Security", "Policy"]));
  });
});
