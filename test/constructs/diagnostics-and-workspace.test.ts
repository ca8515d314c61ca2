// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { LogAnalyticsWorkspace as AzWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { LogAnalyticsWorkspaceTable } from "@cdktf/provider-azurerm/lib/log-analytics-workspace-table";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { DiagnosticSettings } from "../../constructs/diagnostic-settings";
import {
  LogAnalyticsWorkspace,
  retentionMinimums,
  type LogAnalyticsWorkspaceProps,
} from "../../constructs/log-analytics-workspace";
import { TenantFoundation, tenantTags } from "../../constructs/tenant-foundation";
import { testTenant } from "../helpers/tenants";

Testing.setupJest();

const wsProps: LogAnalyticsWorkspaceProps = {
  name: "log-t",
  resourceGroupName: "rg",
  location: "westeurope",
  frameworks: ["pci-dss-4.0"],
};

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

describe("TenantFoundation", () => {
  const tenant = testTenant({ frameworks: ["pci-dss-4.0", "gdpr"], environments: ["dev", "prod"] });
  const props = { tenant, region: "westeurope", resourceGroupName: "rg-t", workspaceName: "log-t" };

  it("tags the resource group with the mandatory tags and locks prod", () => {
    const out = Testing.synthScope((s) => {
      new TenantFoundation(s, "f", {
        ...props,
        env: "prod",
        costCenter: "cc-42",
        extraTags: { tenant: "evil", team: "x" },
      });
    });
    expect(out).toHaveResourceWithProperties(ResourceGroup, {
      name: "rg-t",
      location: "westeurope",
      tags: {
        tenant: "northwind-bank",
        tier: "premium",
        env: "prod",
        residency: "eu",
        compliance: "gdpr,pci-dss-4.0",
        "managed-by": "zonegate",
        "data-classification": "confidential",
        "cost-center": "cc-42",
        team: "x",
      },
    });
    expect(out).toHaveResourceWithProperties(ManagementLock, { lock_level: "CanNotDelete" });
    expect(out).toHaveResourceWithProperties(AzWorkspace, { retention_in_days: 90 });
  });

  it("does not lock dev and rejects unknown env/region", () => {
    const out = Testing.synthScope((s) => {
      new TenantFoundation(s, "f", { ...props, env: "dev" });
    });
    expect(out).not.toHaveResource(ManagementLock);
    expect(() => Testing.synthScope((s) => new TenantFoundation(s, "f", { ...props, env: "staging" }))).toThrow(
      /not an environment/,
    );
    expect(() =>
      Testing.synthScope((s) => new TenantFoundation(s, "f", { ...props, env: "dev", region: "eastus" })),
    ).toThrow(/not a region/);
  });

  it("mandatory tags cannot be overridden", () => {
    expect(tenantTags(tenant, "dev", undefined, { "managed-by": "me" })["managed-by"]).toBe("zonegate");
  });
});
