package zonegate.rules.log.total_retention_test

import data.zonegate.rules.log.total_retention
import data.zonegate.testlib as tl
import rego.v1

_w := tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 90, "id": "/sub/ws"})

_t(name, days) := tl.ref(tl.res("azurerm_log_analytics_workspace_table", name, {"name": name, "total_retention_in_days": days}), "workspace_id", _w)

# every audit table of _w with the given total retention
_all(days) := [_t(n, days) | some n in total_retention._audit_tables]

test_deny_la_total_retention if {
	count(total_retention.deny) == 1 with input as tl.mk([_w])
}

test_deny_la_total_retention_short_table if {
	# the workspace finding and the table's own finding
	count(total_retention.deny) == 2 with input as tl.mk([_w, _t("AzureActivity", 180)])
}

test_deny_la_total_retention_one_table_missing if {
	ts := [t | some t in _all(365); t.values.name != "AKSAuditAdmin"]
	some f in total_retention.deny with input as tl.mk(array.concat([_w], ts))
	contains(f.message, "AKSAuditAdmin")
}

test_deny_la_total_retention_one_table_short if {
	ts := array.concat([t | some t in _all(365); t.values.name != "AKSAuditAdmin"], [_t("AKSAuditAdmin", 90)])
	fs := total_retention.deny with input as tl.mk(array.concat([_w], ts))
	count(fs) == 2
}

test_deny_la_total_retention_short_table_long_workspace if {
	w := tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 730, "id": "/sub/ws"})
	t := tl.ref(tl.res("azurerm_log_analytics_workspace_table", "t", {"name": "AzureActivity", "total_retention_in_days": 90}), "workspace_id", w)
	fs := total_retention.deny with input as tl.mk([w, t])
	count(fs) == 1
	some f in fs
	f.resource == 1
}

test_allow_la_total_retention_table if {
	count(total_retention.deny) == 0 with input as tl.mk(array.concat([_w], _all(365)))
}

test_allow_la_total_retention_table_by_id if {
	ts := [tl.res("azurerm_log_analytics_workspace_table", n, {"name": n, "total_retention_in_days": 400, "workspace_id": "/sub/ws"}) | some n in total_retention._audit_tables]
	count(total_retention.deny) == 0 with input as tl.mk(array.concat([_w], ts))
}

test_deny_la_total_retention_sox if {
	w := tl.tenant_with(_w, {"compliance": ["sox"]})
	ts := [tl.tenant_with(tl.ref(tl.res("azurerm_log_analytics_workspace_table", n, {"name": n, "total_retention_in_days": 400}), "workspace_id", w), {"compliance": ["sox"]}) | some n in total_retention._audit_tables]
	count(total_retention.deny) == 10 with input as tl.mk(array.concat([w], ts))
}

test_allow_la_total_retention_workspace if {
	count(total_retention.deny) == 0 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 730})])
}

test_unknown_la_total_retention if {
	t := tl.unk(tl.ref(tl.res("azurerm_log_analytics_workspace_table", "t", {"name": "AzureActivity"}), "workspace_id", _w), ["total_retention_in_days"])
	fs := total_retention.deny with input as tl.mk([_w, t])
	count(fs) == 2
	every f in fs {
		f.unknown
	}
}
