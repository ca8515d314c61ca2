// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { DiagnosticSettings } from "../../constructs/diagnostic-settings";

Testing.setupJest();

describe("DiagnosticSettings", () => {
  it("sends allLogs and AllMetrics to the workspace", () => {
    const out = Testing.synthScope((s) => {
      new DiagnosticSettings(s, "d", { targetResourceId: "/subscriptions/x/res", workspaceId: "/ws" });
    });
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      name: "zonegate-audit",
      target_resource_id: "/subscriptions/x/res",
      log_analytics_workspace_id: "/ws",
      enabled_log: [{ category_group: "allLogs" }],
      enabled_metric: [{ category: "AllMetrics" }],
    });
    const json = JSON.parse(out);
    const setting = Object.values(json.resource.azurerm_monitor_diagnostic_setting)[0] as Record<string, unknown>;
    expect(setting.metric).toBeUndefined();
    expect(setting.log_analytics_destination_type).toBeUndefined();
  });

  it("supports Dedicated tables and metric-less/log-less resource types, but never neither", () => {
    const out = Testing.synthScope((s) => {
      new DiagnosticSettings(s, "d", {
        targetResourceId: "/r",
        workspaceId: "/ws",
        metrics: false,
        dedicatedTables: true,
      });
    });
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      log_analytics_destination_type: "Dedicated",
      enabled_log: [{ category_group: "allLogs" }],
    });
    expect(() =>
      Testing.synthScope((s) => {
        new DiagnosticSettings(s, "d", { targetResourceId: "/r", workspaceId: "/ws", metrics: false, logs: false });
      }),
    ).toThrow(/logs, metrics or both/);
  });
});
