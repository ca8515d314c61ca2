// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { SecurityCenterSubscriptionPricing } from "@cdktf/provider-azurerm/lib/security-center-subscription-pricing";
import { SecurityCenterContact } from "@cdktf/provider-azurerm/lib/security-center-contact";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorActivityLogAlert } from "@cdktf/provider-azurerm/lib/monitor-activity-log-alert";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { DefenderForCloud, DEFENDER_PLANS } from "../../constructs/defender-for-cloud";
import { SubscriptionActivityLog, ACTIVITY_LOG_CATEGORIES } from "../../constructs/subscription-activity-log";
import { SecurityAlerts, SECURITY_OPERATIONS, AUDIT_QUERIES } from "../../constructs/security-alerts";
import { AUDIT_TABLES } from "../../lib/audit-tables";

Testing.setupJest();
const oc = expect.objectContaining;

type Tf = { resource: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, unknown> };
const parse = (s: string) => JSON.parse(s) as Tf;
const all = (tf: Tf, type: string) => Object.values(tf.resource[type] ?? {});

describe("DefenderForCloud", () => {
  const out = Testing.synthScope((s) => {
    new DefenderForCloud(s, "defender", { securityContactEmail: "soc@bank.example" });
  });

  it("enables every plan at tier Standard, chained so the API is not called in parallel", () => {
    const plans = all(parse(out), "azurerm_security_center_subscription_pricing");
    expect(plans.map((p) => p.resource_type).sort()).toEqual(
      ["Api", "Arm", "Containers", "KeyVaults", "StorageAccounts"].sort(),
    );
    expect(plans.every((p) => p.tier === "Standard")).toBe(true);
    expect(plans.filter((p) => p.depends_on).length).toBe(DEFENDER_PLANS.length - 1);
  });

  it("scans storage uploads for malware", () => {
    expect(out).toHaveResourceWithProperties(SecurityCenterSubscriptionPricing, {
      resource_type: "StorageAccounts",
      subplan: "DefenderForStorageV2",
      extension: expect.arrayContaining([oc({ name: "OnUploadMalwareScanning" })]),
    });
  });

  it("has a security contact with alert notifications", () => {
    expect(out).toHaveResourceWithProperties(SecurityCenterContact, {
      email: "soc@bank.example",
      alert_notifications: true,
      alerts_to_admins: true,
    });
  });

  it("rejects a malformed contact and offers no prop to weaken the plans", () => {
    expect(() =>
      Testing.synthScope((s) => new DefenderForCloud(s, "d", { securityContactEmail: "not-an-address" })),
    ).toThrow(/e-mail/);
    // @ts-expect-error the tier is not configurable
    const bad: ConstructorParameters<typeof DefenderForCloud>[2] = { securityContactEmail: "a@b.c", tier: "Free" };
    expect(bad).toBeDefined();
  });
});

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
