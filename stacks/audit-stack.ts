/**
 * AuditStack — layer 4: the immutable (WORM, CMK, private) archive, the workspace → archive data export,
 * VNet flow logs into the archive with traffic analytics to the workspace, and the security alerts (action group from
 * the tenant's contacts, scheduled-query alerts on the workspace's audit tables). In the tenant's first region also
 * the subscription's Activity Log export to the workspace and the Activity Log alerts (once per tenant × env).
 */
import { Construct } from "constructs";
import { ImmutableArchive, FLOW_LOG_CONTAINER } from "../constructs/immutable-archive";
import { WorkspaceDataExport, EXPORTED_TABLES } from "../constructs/workspace-data-export";
import { VnetFlowLogs, type ExistingNetworkWatcher } from "../constructs/vnet-flow-logs";
import { SubscriptionActivityLog } from "../constructs/subscription-activity-log";
import { SecurityAlerts } from "../constructs/security-alerts";
import { escapeTerraformTemplate } from "../lib/gateway/xml";
import { isFirstRegion } from "./security-stack";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";
import type { FoundationStack } from "./foundation-stack";
import type { NetworkStack } from "./network-stack";
import type { SecurityStack } from "./security-stack";

export interface AuditHandles {
  readonly archiveStorageAccountId: string;
  readonly archiveStorageAccountName: string;
  readonly flowLogId: string;
}

export interface AuditStackDeps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  readonly security: SecurityStack;
}

export interface AuditStackOptions extends BaseStackOptions {
  /**
   * Use an existing Network Watcher (Azure allows one per subscription and region).
   * @default create one in the tenant resource group
   */
  readonly existingNetworkWatcher?: ExistingNetworkWatcher;
}

export class AuditStack extends BaseStack {
  public readonly archive: ImmutableArchive;
  public readonly dataExport: WorkspaceDataExport;
  public readonly flowLogs: VnetFlowLogs;
  /** First region of the tenant only. */
  public readonly activityLog?: SubscriptionActivityLog;
  public readonly alerts: SecurityAlerts;
  public readonly handles: AuditHandles;

  constructor(scope: Construct, ctx: Omit<StackContext, "layer">, deps: AuditStackDeps, opts: AuditStackOptions = {}) {
    super(scope, { ...ctx, layer: "audit" }, opts);
    this.addDependency(deps.foundation);
    this.addDependency(deps.network);
    this.addDependency(deps.security);
    const f = deps.foundation.handles;
    const n = deps.network.handles;
    const s = deps.security.handles;
    const tenant = this.tenant;
    const tags = { ...f.tags };

    this.archive = new ImmutableArchive(this, "archive", {
      // No suffix: exactly the name lib/tenant/load.ts checks for global collisions.
      name: this.nameFor("storageAccount"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      residency: tenant.residency,
      keyVaultId: s.keyVaultId,
      keyVersionlessId: s.keyIds.storage,
      privateEndpointSubnetId: n.subnetIds["private-endpoints"],
      blobPrivateDnsZoneId: n.privateDnsZoneIds.blob,
      workspaceId: f.workspaceId,
      minimumImmutabilityDays: tenant.audit.immutableRetentionDays,
      exportedTables: EXPORTED_TABLES,
      tags,
    });
    this.dataExport = new WorkspaceDataExport(this, "data-export", {
      name: this.nameFor("dataExportRule", "archive"),
      workspaceResourceGroupName: f.resourceGroupName,
      workspaceId: f.workspaceId,
      destinationStorageAccountId: this.archive.id,
      tables: EXPORTED_TABLES,
      dependsOn: Object.values(this.archive.policies),
    });
    this.flowLogs = new VnetFlowLogs(this, "flow-logs", {
      name: `fl-${this.nameFor("virtualNetwork")}`,
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      virtualNetworkId: n.vnetId,
      storageAccountId: this.archive.id,
      workspaceResourceId: f.workspaceId,
      workspaceGuid: f.workspaceGuid,
      workspaceRegion: ctx.region,
      retentionDays: this.archive.immutabilityDays,
      existingNetworkWatcher: opts.existingNetworkWatcher,
      dependsOn: [this.archive.policies[FLOW_LOG_CONTAINER]],
      tags,
    });
    if (isFirstRegion(tenant, ctx.region)) {
      this.activityLog = new SubscriptionActivityLog(this, "activity-log", {
        name: `zonegate-activity-${tenant.id}-${ctx.env}`,
        workspaceId: f.workspaceId,
      });
    }
    this.alerts = new SecurityAlerts(this, "alerts", {
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      namePrefix: `${tenant.id}-${ctx.env}-${ctx.region}`,
      emails: [tenant.contacts.security, tenant.contacts.operations].map(escapeTerraformTemplate),
      workspaceId: f.workspaceId,
      subscriptionResourceId: this.activityLog?.subscriptionResourceId,
      tags,
    });
    this.handles = {
      archiveStorageAccountId: this.archive.id,
      archiveStorageAccountName: this.archive.account.name,
      flowLogId: this.flowLogs.flowLog.id,
    };
  }
}
