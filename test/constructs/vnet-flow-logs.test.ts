// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { NetworkWatcher } from "@cdktf/provider-azurerm/lib/network-watcher";
import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import { VnetFlowLogs, flowLogRetentionDays } from "../../constructs/vnet-flow-logs";

Testing.setupJest();
const oc = expect.objectContaining;

describe("VnetFlowLogs", () => {
  const base = {
    name: "fl-t",
    resourceGroupName: "rg",
    location: "westeurope",
    virtualNetworkId: "/vnet",
    storageAccountId: "/st",
    workspaceResourceId: "/ws",
    workspaceGuid: "guid",
    workspaceRegion: "westeurope",
    retentionDays: 365,
  };

  it("targets the VNet (v4), v2, retention and traffic analytics, with its own network watcher", () => {
    const out = Testing.synthScope((s) => {
      new VnetFlowLogs(s, "fl", base);
    });
    expect(out).toHaveResource(NetworkWatcher);
    expect(out).toHaveResourceWithProperties(NetworkWatcherFlowLog, {
      target_resource_id: "/vnet",
      storage_account_id: "/st",
      enabled: true,
      version: 2,
      retention_policy: { enabled: true, days: 365 },
      traffic_analytics: oc({ enabled: true, workspace_resource_id: "/ws", interval_in_minutes: 10 }),
    });
    const fl = Object.values(JSON.parse(out).resource.azurerm_network_watcher_flow_log)[0] as Record<string, unknown>;
    expect(fl.network_security_group_id).toBeUndefined();
  });

  it("can use an existing network watcher; retention beyond 365 keeps forever", () => {
    const out = Testing.synthScope((s) => {
      new VnetFlowLogs(s, "fl", {
        ...base,
        retentionDays: 2557,
        existingNetworkWatcher: { name: "NetworkWatcher_westeurope", resourceGroupName: "NetworkWatcherRG" },
      });
    });
    expect(out).not.toHaveResource(NetworkWatcher);
    expect(out).toHaveResourceWithProperties(NetworkWatcherFlowLog, {
      network_watcher_name: "NetworkWatcher_westeurope",
      retention_policy: { enabled: true, days: 0 },
    });
    expect(flowLogRetentionDays(90)).toBe(90);
  });
});
