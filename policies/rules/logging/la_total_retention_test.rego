package zonegate.rules.la_total_retention

import data.zonegate.testlib as tl
import rego.v1

_w := tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 90, "id": "/sub/ws"})

_t(days) := tl.ref(tl.res("azurerm_log_analytics_workspace_table", "t", {"total_retention_in_days": days}), "workspace_id", _w)

test_deny_la_total_retention if {
	count(deny) == 1 with input as tl.mk([_w])
}

test_deny_la_total_retention_short_table if {
	count(deny) == 1 with input as tl.mk([_w, _t(180)])
}

test_allow_la_total_retention_table if {
	count(deny) == 0 with input as tl.mk([_w, _t(365)])
}

test_allow_la_total_retention_table_by_id if {
	t := tl.res("azurerm_log_analytics_workspace_table", "t", {"total_retention_in_days": 400, "workspace_id": "/sub/ws"})
	count(deny) == 0 with input as tl.mk([_w, t])
}

test_deny_la_total_retention_sox if {
	w := tl.tenant_with(_w, {"compliance": ["sox"]})
	count(deny) == 1 with input as tl.mk([w, tl.ref(tl.res("azurerm_log_analytics_workspace_table", "t", {"total_retention_in_days": 400}), "workspace_id", w)])
}

test_allow_la_total_retention_workspace if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 730})])
}

test_unknown_la_total_retention if {
	t := tl.unk(tl.ref(tl.res("azurerm_log_analytics_workspace_table", "t", {}), "workspace_id", _w), ["total_retention_in_days"])
	some f in deny with input as tl.mk([_w, t])
	f.unknown
}
