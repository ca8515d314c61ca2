/**
 * VnetFlowLogs — VNet flow logs (the successor of NSG flow logs) for one VNet into the immutable archive,
 * with traffic analytics into the tenant workspace.
 *
 * Secure by default (not props): flow logs on, version 2, retention enabled (the full immutability period,
 * or "keep forever" (0) when that exceeds the 365 days flow-log retention allows), traffic analytics every
 * 10 minutes. By default a Network Watcher is created in the tenant resource group; Azure allows **one
 * Network Watcher per subscription and region**, so estates that share a subscription across tenants or
 * environments pass `existingNetworkWatcher`.
 *
 * Satisfies: ZG-NET-003, ZG-NET-004
 */
import { Construct } from "constructs";
import { NetworkWatcher } from "@cdktf/provider-azurerm/lib/network-watcher";
import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import type { ITerraformDependable } from "cdktf";

export interface ExistingNetworkWatcher {
  readonly name: string;
  readonly resourceGroupName: string;
}

export interface VnetFlowLogsProps {
  /** Flow log name. Required. */
  readonly name: string;
  /** Resource group for the Network Watcher (when created). Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling) of the VNet. Required. */
  readonly location: string;
  /** VNet id (`target_resource_id`). Required. */
  readonly virtualNetworkId: string;
  /** Archive storage account id (same region). Required. */
  readonly storageAccountId: string;
  /** Workspace resource id for traffic analytics. Required. */
  readonly workspaceResourceId: string;
  /** Workspace GUID (customer id) for traffic analytics. Required. */
  readonly workspaceGuid: string;
  /** Workspace region. Required. */
  readonly workspaceRegion: string;
  /** Days flow logs are retained (the archive's immutability period). Required. */
  readonly retentionDays: number;
  /**
   * Use this Network Watcher instead of creating one (one per subscription and region).
   * @default a new `azurerm_network_watcher` named `nw-<name>` in `resourceGroupName`
   */
  readonly existingNetworkWatcher?: ExistingNetworkWatcher;
  /**
   * Resources the flow log waits for (the pre-created WORM flow-log container).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Flow-log retention: Azure accepts 0 (forever) to 365 days. */
export function flowLogRetentionDays(days: number): number {
  return days > 365 ? 0 : days;
}

export class VnetFlowLogs extends Construct {
  public readonly networkWatcher?: NetworkWatcher;
  public readonly flowLog: NetworkWatcherFlowLog;

  constructor(scope: Construct, id: string, props: VnetFlowLogsProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`${this.node.path}: retentionDays must be a positive integer`);
    }
    let watcher: ExistingNetworkWatcher;
    if (props.existingNetworkWatcher) {
      watcher = props.existingNetworkWatcher;
    } else {
      this.networkWatcher = new NetworkWatcher(this, "watcher", {
        name: `nw-${props.name}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
      watcher = { name: this.networkWatcher.name, resourceGroupName: this.networkWatcher.resourceGroupName };
    }
    this.flowLog = new NetworkWatcherFlowLog(this, "flow-log", {
      name: props.name,
      networkWatcherName: watcher.name,
      resourceGroupName: watcher.resourceGroupName,
      location: props.location,
      // azurerm v4: VNet flow logs via target_resource_id (network_security_group_id is the retired NSG flow log).
      targetResourceId: props.virtualNetworkId,
      storageAccountId: props.storageAccountId,
      enabled: true,
      version: 2,
      retentionPolicy: { enabled: true, days: flowLogRetentionDays(props.retentionDays) },
      trafficAnalytics: {
        enabled: true,
        workspaceId: props.workspaceGuid,
        workspaceRegion: props.workspaceRegion,
        workspaceResourceId: props.workspaceResourceId,
        intervalInMinutes: 10,
      },
      dependsOn: props.dependsOn,
      tags: props.tags,
    });
  }
}
