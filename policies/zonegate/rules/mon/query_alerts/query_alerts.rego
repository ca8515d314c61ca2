# METADATA
# title: "Every workspace has alerts on its audit tables"
# description: "Audit logs are reviewed by automated mechanisms (PCI DSS 10.4.1.1) and failures of critical security controls are detected and reported (10.7.2): each Log Analytics workspace needs enabled scheduled-query alerts with an action group, scoped to the workspace, whose queries read the Activity Log (AzureActivity), the resource diagnostics (AzureDiagnostics, e.g. Key Vault access denied) and the audit archive's access log (StorageBlobLogs). Decided over the whole estate."
# custom:
#   id: ZG-MON-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.4.1", "10.4.1.1", "10.4.2", "10.7.2", "10.7.3"], "gdpr": ["32", "33"], "sox": ["404"]}
#   enforcement: mandatory
#   scope: estate
#   remediation: "constructs/security-alerts.ts creates one scheduled-query alert per AUDIT_QUERIES entry on the workspace (every audit stack and platform stack builds it)."
#   construct: constructs/security-alerts.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_log_analytics_workspace", "azurerm_monitor_scheduled_query_rules_alert_v2"]
#   mutations:
#     - {"type": "azurerm_monitor_scheduled_query_rules_alert_v2", "path": "enabled", "set": false}
#     - {"type": "azurerm_monitor_scheduled_query_rules_alert_v2", "path": "scopes", "delete": true}
#     - {"type": "azurerm_monitor_scheduled_query_rules_alert_v2", "path": "action", "delete": true}
#     - {"type": "azurerm_monitor_scheduled_query_rules_alert_v2", "path": "criteria.0.query", "set": "Heartbeat | take 1"}
package zonegate.rules.mon.query_alerts

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_tables := ["AzureActivity", "AzureDiagnostics", "StorageBlobLogs"]

_enabled(a) if a.values.enabled == true

_enabled(a) if zg.absent(a, "enabled")

_has_groups(a) if zg.referenced(a, "action.action_groups")

_has_groups(a) if zg.unknown(a, "action.action_groups.0")

_has_groups(a) if {
	some g in zg.get(a.values, "action.action_groups")
	is_string(g)
}

# the workspaces an alert reads: referenced keys and known (lowercased) ids
_scope_keys(a) := zg.refs_to(a, "scopes") | {lower(s) | some s in object.get(a.values, "scopes", []); is_string(s)}

_reads(a, t) if {
	some c in zg.blocks(a.values, "criteria")
	is_string(c.query)
	regex.match(concat("", [`^\s*`, t, `\b`]), c.query)
}

_covered contains concat("|", [k, t]) if {
	some [_, a] in zg.resources("azurerm_monitor_scheduled_query_rules_alert_v2")
	zg.managed(a)
	_enabled(a)
	_has_groups(a)
	some t in _tables
	_reads(a, t)
	some k in _scope_keys(a)
}

_workspace_ids(w) := {w.key} | {lower(id) | id := w.values.id; is_string(id)}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, w] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(w)
	ks := _covered
	ids := _workspace_ids(w)
	missing := [t | some t in _tables; count({k | some k in ids; ks[concat("|", [k, t])]}) == 0]
	count(missing) > 0
	msg := sprintf("No enabled scheduled-query alert with an action group reads %s in this workspace", [concat(", ", missing)])
}
