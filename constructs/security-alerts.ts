/**
 * SecurityAlerts — who is told, and about what: an action group from the tenant's `contacts`, Activity Log alerts
 * on security-relevant control-plane operations of the subscription, and scheduled-query alerts over the audit
 * tables of the tenant's Log Analytics workspace (PCI DSS 10.4.1, 10.4.1.1, 10.4.2, 10.7.2, 11.5.2, 12.10.5).
 *
 * Always on (not props):
 *  - the action group e-mails the security and operations contacts with the common alert schema;
 *  - with `subscriptionResourceId` (once per subscription): one Activity Log alert per operation in
 *    {@link SECURITY_OPERATIONS} (policy and role assignment changes, Key Vault and NSG changes, lock deletions)
 *    plus one on every Activity Log `Security` event (Defender for Cloud alerts), all enabled, scoped to the
 *    subscription and sent to the action group;
 *  - one scheduled-query alert per query in {@link AUDIT_QUERIES} over the workspace (Activity Log failures on
 *    authorization, Key Vault access denied, deletions in the WORM archive, Kubernetes RBAC changes, gateway
 *    authentication failures), every 5 minutes over 15, enabled, sent to the action group.
 * Activity Log alerts are global resources (`location = "global"`); the scheduled-query alerts live in the
 * workspace's region.
 *
 * Satisfies: ZG-MON-002, ZG-MON-003, ZG-MON-004
 */
import { Construct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorActivityLogAlert } from "@cdktf/provider-azurerm/lib/monitor-activity-log-alert";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";

/** Control-plane operations that always alert (ZG-MON-002 requires them). */
export const SECURITY_OPERATIONS: readonly string[] = [
  "Microsoft.Authorization/policyAssignments/write",
  "Microsoft.Authorization/policyAssignments/delete",
  "Microsoft.Authorization/roleAssignments/write",
  "Microsoft.Authorization/roleAssignments/delete",
  "Microsoft.Authorization/locks/delete",
  "Microsoft.KeyVault/vaults/write",
  "Microsoft.KeyVault/vaults/delete",
  "Microsoft.Network/networkSecurityGroups/write",
  "Microsoft.Network/networkSecurityGroups/delete",
  "Microsoft.Network/networkSecurityGroups/securityRules/write",
  "Microsoft.Network/networkSecurityGroups/securityRules/delete",
];

export interface AuditQuery {
  /** Short id used in resource names. */
  readonly id: string;
  /** The audit table the query reads (lib/audit-tables.ts). */
  readonly table: string;
  readonly description: string;
  /** KQL; alerts when the row count exceeds `threshold` in a 15-minute window. */
  readonly query: string;
  readonly threshold: number;
  /** 0 (critical) … 4 (verbose). */
  readonly severity: number;
}

/** The scheduled-query alerts every workspace gets (the first three tables are required by ZG-MON-003). */
export const AUDIT_QUERIES: readonly AuditQuery[] = [
  {
    id: "authz-failures",
    table: "AzureActivity",
    description: "Failed authorization (role, policy, lock) operations in the Activity Log",
    query:
      'AzureActivity | where CategoryValue == "Administrative" and ActivityStatusValue == "Failure" and OperationNameValue startswith "Microsoft.Authorization/"',
    threshold: 0,
    severity: 1,
  },
  {
    id: "keyvault-denied",
    table: "AzureDiagnostics",
    description: "Key Vault requests denied (401/403): probing for keys or secrets",
    query: 'AzureDiagnostics | where ResourceProvider == "MICROSOFT.KEYVAULT" and httpStatusCode_d in (401, 403)',
    threshold: 5,
    severity: 1,
  },
  {
    id: "archive-tamper",
    table: "StorageBlobLogs",
    description: "Deletion or immutability changes attempted on the audit archive",
    query:
      'StorageBlobLogs | where OperationName in ("DeleteBlob", "DeleteContainer", "SetBlobImmutabilityPolicy", "DeleteBlobImmutabilityPolicy", "SetImmutabilityPolicy")',
    threshold: 0,
    severity: 0,
  },
  {
    id: "k8s-rbac-change",
    table: "AKSAuditAdmin",
    description: "Kubernetes RBAC bindings created, changed or deleted",
    query:
      'AKSAuditAdmin | where tostring(ObjectRef.resource) in ("clusterrolebindings", "rolebindings", "clusterroles") and Verb in ("create", "update", "patch", "delete")',
    threshold: 0,
    severity: 2,
  },
  {
    id: "gateway-auth-failures",
    table: "ApiManagementGatewayLogs",
    description: "Burst of unauthenticated or forbidden gateway calls (credential stuffing, BOLA probing)",
    query: "ApiManagementGatewayLogs | where ResponseCode in (401, 403)",
    threshold: 100,
    severity: 2,
  },
];

export interface SecurityAlertsProps {
  /** Resource group of the action group and alerts. Required. */
  readonly resourceGroupName: string;
  /** Region of the workspace (scheduled-query alerts live there). Required. */
  readonly location: string;
  /** Name prefix, e.g. `northwind-bank-prod-westeurope`. Required. */
  readonly namePrefix: string;
  /** E-mail receivers of the action group (tenant contacts: security, operations). Required, non-empty. */
  readonly emails: readonly string[];
  /** Log Analytics workspace id the scheduled-query alerts read. Required. */
  readonly workspaceId: string;
  /**
   * Subscription resource id: when given, the Activity Log alerts are created (once per subscription).
   * @default none (no Activity Log alerts)
   */
  readonly subscriptionResourceId?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class SecurityAlerts extends Construct {
  public readonly actionGroup: MonitorActionGroup;
  public readonly activityLogAlerts: MonitorActivityLogAlert[] = [];
  public readonly queryAlerts: MonitorScheduledQueryRulesAlertV2[] = [];

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error(`${this.node.path}: at least one e-mail receiver is required`);
    const tags = props.tags ?? {};
    this.actionGroup = new MonitorActionGroup(this, "action-group", {
      name: `ag-${props.namePrefix}-security`,
      resourceGroupName: props.resourceGroupName,
      location: "global",
      // Azure: at most 12 characters.
      shortName: "zg-security",
      enabled: true,
      emailReceiver: [...new Set(props.emails)].map((emailAddress, i) => ({
        name: `contact-${i + 1}`,
        emailAddress,
        useCommonAlertSchema: true,
      })),
      tags,
    });
    const action = [{ actionGroupId: this.actionGroup.id }];

    if (props.subscriptionResourceId) {
      SECURITY_OPERATIONS.forEach((operationName, i) => {
        const slug = operationName
          .replace(/^Microsoft\./, "")
          .replace(/[^A-Za-z0-9]+/g, "-")
          .toLowerCase();
        this.activityLogAlerts.push(
          new MonitorActivityLogAlert(this, `activity-${i}`, {
            name: `ala-${props.namePrefix}-${slug}`,
            resourceGroupName: props.resourceGroupName,
            location: "global",
            scopes: [props.subscriptionResourceId!],
            description: `zonegate: ${operationName}`,
            enabled: true,
            criteria: { category: "Administrative", operationName },
            action,
            tags,
          }),
        );
      });
      this.activityLogAlerts.push(
        new MonitorActivityLogAlert(this, "activity-security", {
          name: `ala-${props.namePrefix}-security-events`,
          resourceGroupName: props.resourceGroupName,
          location: "global",
          scopes: [props.subscriptionResourceId],
          description: "zonegate: every Security event of the Activity Log (Defender for Cloud alerts)",
          enabled: true,
          criteria: { category: "Security" },
          action,
          tags,
        }),
      );
    }

    for (const q of AUDIT_QUERIES) {
      this.queryAlerts.push(
        new MonitorScheduledQueryRulesAlertV2(this, `query-${q.id}`, {
          name: `sqa-${props.namePrefix}-${q.id}`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          description: `zonegate: ${q.description}`,
          scopes: [props.workspaceId],
          enabled: true,
          severity: q.severity,
          evaluationFrequency: "PT5M",
          windowDuration: "PT15M",
          criteria: [
            {
              query: q.query,
              timeAggregationMethod: "Count",
              operator: "GreaterThan",
              threshold: q.threshold,
              failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
            },
          ],
          action: { actionGroups: [this.actionGroup.id] },
          autoMitigationEnabled: false,
          tags,
        }),
      );
    }
  }
}
