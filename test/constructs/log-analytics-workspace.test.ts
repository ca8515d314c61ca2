// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { LogAnalyticsWorkspace as AzWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { LogAnalyticsWorkspaceTable } from "@cdktf/provider-azurerm/lib/log-analytics-workspace-table";
import {
  LogAnalyticsWorkspace,
  retentionMinimums,
  type LogAnalyticsWorkspaceProps,
} from "../../constructs/log-analytics-workspace";

Testing.setupJest();

const wsProps: LogAnalyticsWorkspaceProps = {
  name: "log-t",
  resourceGroupName: "rg",
  location: "westeurope",
  frameworks: ["pci-dss-4.0"],
};
describe("LogAnalyticsWorkspace", () => {
  it("is hardened and retains per framework", () => {
    const out = Testing.synthScope((s) => {
      new LogAnalyticsWorkspace(s, "ws", wsProps);
    });
    expect(out).toHaveResourceWithProperties(AzWorkspace, {
      sku: "PerGB2018",
      retention_in_days: 90,
      local_authentication_enabled: false,
      internet_ingestion_enabled: false,
      internet_query_enabled: false,
    });
    expect(out).toHaveResourceWithProperties(LogAnalyticsWorkspaceTable, {
      name: "AzureActivity",
      retention_in_days: 90,
      total_retention_in_days: 365,
    });
  });

  it("sends its own audit logs and metrics to itself", () => {
    const out = Testing.synthScope((s) => {
      new LogAnalyticsWorkspace(s, "ws", wsProps);
    });
    const json = JSON.parse(out);
    const settings = Object.values(json.resource.azurerm_monitor_diagnostic_setting) as Record<string, unknown>[];
    expect(settings).toHaveLength(1);
    expect(settings[0].target_resource_id).toEqual(settings[0].log_analytics_workspace_id);
    expect(String(settings[0].target_resource_id)).toMatch(/^\$\{azurerm_log_analytics_workspace\.[^.]+\.id\}$/);
    expect(settings[0].enabled_log).toEqual([{ category_group: "allLogs" }]);
    expect(settings[0].enabled_metric).toEqual([{ category: "AllMetrics" }]);
  });

  it("computes framework minimums (PCI 90/365, SOX 7 years)", () => {
    expect(retentionMinimums(["pci-dss-4.0"])).toEqual({ interactiveDays: 90, totalDays: 365 });
    expect(retentionMinimums(["sox"]).totalDays).toBe(2557);
    const out = Testing.synthScope((s) => {
      new LogAnalyticsWorkspace(s, "ws", { ...wsProps, frameworks: ["sox", "pci-dss-4.0"] });
    });
    expect(out).toHaveResourceWithProperties(LogAnalyticsWorkspaceTable, { total_retention_in_days: 2557 });
  });

  it("rejects retention below the framework minimum", () => {
    expect(() =>
      Testing.synthScope((s) => {
        new LogAnalyticsWorkspace(s, "ws", { ...wsProps, interactiveRetentionDays: 30 });
      }),
    ).toThrow(/below the minimum 90/);
    expect(() =>
      Testing.synthScope((s) => {
        new LogAnalyticsWorkspace(s, "ws", { ...wsProps, frameworks: ["sox"], totalRetentionDays: 365 });
      }),
    ).toThrow(/below the minimum 2557/);
    expect(() =>
      Testing.synthScope((s) => {
        new LogAnalyticsWorkspace(s, "ws", { ...wsProps, interactiveRetentionDays: 1000 });
      }),
    ).toThrow(/exceeds/);
  });

  it("has no prop to weaken authentication or network exposure", () => {
    Testing.synthScope((s) => {
      new LogAnalyticsWorkspace(s, "ws", {
        ...wsProps,
        // @ts-expect-error local authentication is not configurable
        localAuthenticationEnabled: true,
        internetIngestionEnabled: true,
      });
    });
    // …and an attempted override through props is ignored at runtime too.
    const out = Testing.synthScope((s) => {
      new LogAnalyticsWorkspace(s, "ws", { ...wsProps, ...({ localAuthenticationEnabled: true } as object) });
    });
    expect(out).toHaveResourceWithProperties(AzWorkspace, { local_authentication_enabled: false });
  });
});
