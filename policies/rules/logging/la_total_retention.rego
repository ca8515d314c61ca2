# METADATA
# title: "Audit logs are retained for the framework minimum"
# description: "Audit logs must be retained 12 months (PCI DSS 10.5.1) or seven years (SOX, 2557 days): the workspace retention, or the total (interactive + archive) retention of every audit table (AzureActivity, AzureDiagnostics, AzureMetrics, StorageBlobLogs, AKSAudit, AKSAuditAdmin, AKSControlPlane, ApiManagementGatewayLogs, NTANetAnalytics); no table may be configured below the minimum."
# custom:
#   id: ZG-LOG-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.5.1"], "gdpr": [], "sox": ["802"]}
#   enforcement: mandatory
#   remediation: "Give every audit table total_retention_in_days >= 365 (PCI) / 2557 (SOX) with azurerm_log_analytics_workspace_table (constructs/log-analytics-workspace.ts)."
#   construct: constructs/log-analytics-workspace.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_log_analytics_workspace", "azurerm_log_analytics_workspace_table"]
#   mutations:
#     - {"type": "azurerm_log_analytics_workspace_table", "path": "total_retention_in_days", "set": 90}
#     - {"type": "azurerm_log_analytics_workspace_table", "path": "total_retention_in_days", "unknown": true}
#     - {"type": "azurerm_log_analytics_workspace_table", "path": "workspace_id", "delete": true}
package zonegate.rules.la_total_retention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The tables holding zonegate's audit trail (constructs/log-analytics-workspace.ts AUDIT_TABLES): when the
# workspace's own retention is below the minimum, each of them needs a table resource that retains it.
_audit_tables := {"AzureActivity", "AzureDiagnostics", "AzureMetrics", "StorageBlobLogs", "AKSAudit", "AKSAuditAdmin", "AKSControlPlane", "ApiManagementGatewayLogs", "NTANetAnalytics"}

_total := ["total_retention_in_days"]

_tables(w) := [t |
	some [_, t] in zg.resources("azurerm_log_analytics_workspace_table")
	zg.points_to(t, "workspace_id", w)
]

_workspace_ok(w, min) if zg.num(zg.attr(w, "retention_in_days")) >= min

_table_ok(w, name, min) if {
	some t in _tables(w)
	t.values.name == name
	zg.num(zg.attr(t, _total)) >= min
}

_missing(w, min) := {n | some n in _audit_tables; not _table_ok(w, n, min)}

_undecided(w) if zg.unknown(w, "retention_in_days")

_undecided(w) if {
	some t in _tables(w)
	zg.unknown(t, _total)
}

_short(w, min) if {
	not _workspace_ok(w, min)
	count(_missing(w, min)) > 0
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	min := zg.min_days(r, 365, 2557, 365)
	_short(r, min)
	not _undecided(r)
	msg := sprintf("Neither the workspace nor its audit tables (%s) retain logs for %d days", [concat(", ", sort(_missing(r, min))), min])
}

deny contains zg.unknown_finding(meta.id, i, "total_retention_in_days") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	_short(r, zg.min_days(r, 365, 2557, 365))
	_undecided(r)
}

# A table configured below the minimum shortens that table's retention whatever the workspace says.
deny contains zg.finding(meta.id, i, msg) if {
	some [i, t] in zg.resources("azurerm_log_analytics_workspace_table")
	zg.managed(t)
	min := zg.min_days(t, 365, 2557, 365)
	days := zg.num(zg.attr(t, _total))
	days < min
	msg := sprintf("Table %s retains logs for %d days, below the %d-day minimum", [object.get(t.values, "name", "?"), days, min])
}

deny contains zg.unknown_finding(meta.id, i, "total_retention_in_days") if {
	some [i, t] in zg.resources("azurerm_log_analytics_workspace_table")
	zg.managed(t)
	zg.unknown(t, _total)
}
