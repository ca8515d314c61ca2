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
package zonegate.rules.log.total_retention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The tables holding zonegate's audit trail (constructs/log-analytics-workspace.ts AUDIT_TABLES): when the
# workspace's own retention is below the minimum, each of them needs a table resource that retains it.
_audit_tables := {"AzureActivity", "AzureDiagnostics", "AzureMetrics", "StorageBlobLogs", "AKSAudit", "AKSAuditAdmin", "AKSControlPlane", "ApiManagementGatewayLogs", "NTANetAnalytics"}

_total := ["total_retention_in_days"]

_ws_type := "azurerm_log_analytics_workspace"

_table_type := "azurerm_log_analytics_workspace_table"

# The tables of each workspace (as input indexes), indexed once by referenced key and by lowercased known
# workspace_id, so that a workspace finds its tables by lookup instead of scanning every table: zg.points_to,
# inverted.
_tables_by_ref[k] contains j if {
	some [j, t] in zg.resources(_table_type)
	some k in zg.refs_to(t, "workspace_id")
}

_tables_by_id[lower(id)] contains j if {
	some [j, t] in zg.resources(_table_type)
	id := zg.attr(t, "workspace_id")
	is_string(id)
}

_tables_of_id(w) := by_id[lower(id)] if {
	id := zg.get(w.values, "id")
	is_string(id)
	by_id := _tables_by_id
}

_tables(w) := {j | by_ref := _tables_by_ref; some j in by_ref[w.key]} | {j | some j in _tables_of_id(w)}

# Per workspace (by input index), computed once: its tables, its minimum, the audit tables that miss it.
# (Lookups go through a local bound to the whole rule: in Wasm a rule is memoized and s[x] is a hash
# lookup; native OPA would otherwise re-evaluate a partial rule body per looked-up key.)
_tables_at[i] := _tables(w) if some [i, w] in zg.resources(_ws_type)

_min_at[i] := zg.min_days(w, 365, 2557, 365) if some [i, w] in zg.resources(_ws_type)

_missing_at[i] := _missing(tables[i], mins[i]) if {
	tables := _tables_at
	mins := _min_at
	some [i, _] in zg.resources(_ws_type)
}

_workspace_ok(w, min) if zg.num(zg.attr(w, "retention_in_days")) >= min

_table_ok(ts, name, min) if {
	some j in ts
	t := input.resources[j]
	t.values.name == name
	zg.num(zg.attr(t, _total)) >= min
}

_missing(ts, min) := {n | some n in _audit_tables; not _table_ok(ts, n, min)}

_undecided(_, w) if zg.unknown(w, "retention_in_days")

_undecided(i, _) if {
	tables := _tables_at
	some j in tables[i]
	zg.unknown(input.resources[j], _total)
}

_short(i, w) if {
	mins := _min_at
	not _workspace_ok(w, mins[i])
	missing := _missing_at
	count(missing[i]) > 0
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources(_ws_type)
	zg.managed(r)
	_short(i, r)
	not _undecided(i, r)
	missing := _missing_at
	mins := _min_at
	msg := sprintf("Neither the workspace nor its audit tables (%s) retain logs for %d days", [concat(", ", sort(missing[i])), mins[i]])
}

deny contains zg.unknown_finding(meta.id, i, "total_retention_in_days") if {
	some [i, r] in zg.resources(_ws_type)
	zg.managed(r)
	_short(i, r)
	_undecided(i, r)
}

# A table configured below the minimum shortens that table's retention whatever the workspace says.
deny contains zg.finding(meta.id, i, msg) if {
	some [i, t] in zg.resources(_table_type)
	zg.managed(t)
	min := zg.min_days(t, 365, 2557, 365)
	days := zg.num(zg.attr(t, _total))
	days < min
	msg := sprintf("Table %s retains logs for %d days, below the %d-day minimum", [object.get(t.values, "name", "?"), days, min])
}

deny contains zg.unknown_finding(meta.id, i, "total_retention_in_days") if {
	some [i, t] in zg.resources(_table_type)
	zg.managed(t)
	zg.unknown(t, _total)
}
