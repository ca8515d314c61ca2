# METADATA
# title: "Audit logs are retained for the framework minimum"
# description: "Audit logs must be retained 12 months (PCI DSS 10.5.1) or seven years (SOX, 2557 days): the workspace retention, or the total (interactive + archive) retention of its audit tables."
# custom:
#   id: ZG-LOG-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.5.1"], "gdpr": [], "sox": ["802"]}
#   enforcement: mandatory
#   remediation: "Give the audit tables total_retention_in_days >= 365 (PCI) / 2557 (SOX) with azurerm_log_analytics_workspace_table (constructs/log-analytics-workspace.ts)."
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

_tables(w) := [t |
	some [_, t] in zg.resources("azurerm_log_analytics_workspace_table")
	zg.points_to(t, "workspace_id", w)
]

_ok(w, min) if zg.num(zg.attr(w, "retention_in_days")) >= min

_ok(w, min) if {
	some t in _tables(w)
	zg.num(zg.attr(t, "total_retention_in_days")) >= min
}

_undecided(w) if zg.unknown(w, "retention_in_days")

_undecided(w) if {
	some t in _tables(w)
	zg.unknown(t, "total_retention_in_days")
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	min := zg.min_days(r, 365, 2557, 365)
	not _ok(r, min)
	not _undecided(r)
	msg := sprintf("Neither the workspace nor any of its tables retains logs for %d days", [min])
}

deny contains zg.unknown_finding(meta.id, i, "total_retention_in_days") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	not _ok(r, zg.min_days(r, 365, 2557, 365))
	_undecided(r)
}
