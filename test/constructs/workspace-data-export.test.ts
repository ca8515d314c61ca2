// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { LogAnalyticsDataExportRule } from "@cdktf/provider-azurerm/lib/log-analytics-data-export-rule";
import { WorkspaceDataExport, EXPORTED_TABLES } from "../../constructs/workspace-data-export";

Testing.setupJest();

describe("WorkspaceDataExport", () => {
  it("exports the audit tables to the archive", () => {
    const out = Testing.synthScope((s) => {
      new WorkspaceDataExport(s, "x", {
        name: "dexp",
        workspaceResourceGroupName: "rg",
        workspaceId: "/ws",
        destinationStorageAccountId: "/st",
      });
    });
    expect(out).toHaveResourceWithProperties(LogAnalyticsDataExportRule, {
      workspace_resource_id: "/ws",
      destination_resource_id: "/st",
      table_names: [...EXPORTED_TABLES],
      enabled: true,
    });
  });
});
