// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorActivityLogAlert } from "@cdktf/provider-azurerm/lib/monitor-activity-log-alert";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { SecurityAlerts, SECURITY_OPERATIONS, AUDIT_QUERIES } from "../../constructs/security-alerts";
import { AUDIT_TABLES } from "../../lib/audit-tables";
import { all, parse } from "../helpers/synth";

Testing.setupJest();
const oc = expect.objectContaining;

describe("SecurityAlerts", () => {
  const props = {
    resourceGroupName: "rg",
    location: "westeurope",
    namePrefix: "t-prod-westeurope",
    emails: ["soc@bank.example", "ops@bank.example", "soc@bank.example"],
    workspaceId: "/ws",
  };
  const withSub = Testing.synthScope((s) => {
    new SecurityAlerts(s, "alerts", { ...props, subscriptionResourceId: "/subscriptions/0000" });
  });
  const withoutSub = Testing.synthScope((s) => {
    new SecurityAlerts(s, "alerts", props);
  });

  it("e-mails the (deduplicated) contacts from an enabled action group", () => {
    expect(withSub).toHaveResourceWithProperties(MonitorActionGroup, {
      enabled: true,
      location: "global",
      email_receiver: [
        oc({ email_address: "soc@bank.example", use_common_alert_schema: true }),
        oc({ email_address: "ops@bank.example" }),
      ],
    });
    const ag = all(parse(withSub), "azurerm_monitor_action_group")[0];
    expect(String(ag.short_name).length).toBeLessThanOrEqual(12);
  });

  it("alerts on every security operation of the subscription, and on Security events", () => {
    const alerts = all(parse(withSub), "azurerm_monitor_activity_log_alert");
    expect(alerts).toHaveLength(SECURITY_OPERATIONS.length + 1);
    const ops = alerts.map((a) => (a.criteria as Record<string, string>).operation_name).filter(Boolean);
    expect(ops.sort()).toEqual([...SECURITY_OPERATIONS].sort());
    for (const a of alerts) {
      expect(a).toEqual(oc({ enabled: true, location: "global", scopes: ["/subscriptions/0000"] }));
      expect(a.action).toEqual([{ action_group_id: expect.stringContaining("azurerm_monitor_action_group.") }]);
    }
    expect(withSub).toHaveResourceWithProperties(MonitorActivityLogAlert, { criteria: { category: "Security" } });
  });

  it("creates no Activity Log alert without a subscription (they exist once per subscription)", () => {
    expect(all(parse(withoutSub), "azurerm_monitor_activity_log_alert")).toHaveLength(0);
  });

  it("alerts on the audit tables of the workspace", () => {
    const q = all(parse(withoutSub), "azurerm_monitor_scheduled_query_rules_alert_v2");
    expect(q).toHaveLength(AUDIT_QUERIES.length);
    for (const a of q) {
      expect(a).toEqual(oc({ enabled: true, scopes: ["/ws"], location: "westeurope" }));
      expect((a.action as Record<string, unknown>).action_groups).toHaveLength(1);
    }
    const tables = AUDIT_QUERIES.map((x) => x.table);
    // every table a query reads is one of the audit tables, and each query starts with its table
    for (const x of AUDIT_QUERIES) {
      expect(AUDIT_TABLES).toContain(x.table);
      expect(x.query.startsWith(`${x.table} |`)).toBe(true);
    }
    expect(tables).toEqual(expect.arrayContaining(["AzureActivity", "AzureDiagnostics", "StorageBlobLogs"]));
    expect(withoutSub).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      criteria: [oc({ query: expect.stringContaining("httpStatusCode_d in (401, 403)") })],
    });
  });

  it("needs a receiver", () => {
    expect(() => Testing.synthScope((s) => new SecurityAlerts(s, "a", { ...props, emails: [] }))).toThrow(/receiver/);
  });
});
