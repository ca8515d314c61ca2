package zonegate.rules.mon.activity_log_export_test

import data.zonegate.rules.mon.activity_log_export
import data.zonegate.testlib as tl
import rego.v1

_rg := tl.res("azurerm_resource_group", "rg", {})

_sub := object.union(tl.res("azurerm_subscription", "current", {}), {"mode": "data"})

_cats := [{"category": "Administrative"}, {"category": "Security"}, {"category": "Policy"}]

_ds(v) := tl.unk(tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "a", v), "target_resource_id", _sub), ["log_analytics_workspace_id"])

test_deny_activity_log_export_missing if {
	count(activity_log_export.deny) == 1 with input as tl.mk([_rg, _sub])
}

test_deny_activity_log_export_categories if {
	count(activity_log_export.deny) == 1 with input as tl.mk([_rg, _sub, _ds({"enabled_log": [{"category": "ServiceHealth"}]})])
}

test_deny_activity_log_export_not_subscription if {
	ds := tl.res("azurerm_monitor_diagnostic_setting", "a", {"enabled_log": _cats, "target_resource_id": "/subscriptions/x/resourceGroups/rg", "log_analytics_workspace_id": "/w"})
	count(activity_log_export.deny) == 1 with input as tl.mk([_rg, ds])
}

test_deny_activity_log_export_no_workspace if {
	ds := tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "a", {"enabled_log": _cats}), "target_resource_id", _sub)
	count(activity_log_export.deny) == 1 with input as tl.mk([_rg, _sub, ds])
}

test_allow_activity_log_export if {
	count(activity_log_export.deny) == 0 with input as tl.mk([_rg, _sub, _ds({"enabled_log": _cats})])
}

test_allow_activity_log_export_id_and_legacy if {
	ds := tl.res("azurerm_monitor_diagnostic_setting", "a", {"log": [{"category": "Administrative"}, {"category": "Security", "enabled": true}, {"category_group": "allLogs"}], "target_resource_id": "/subscriptions/0000", "log_analytics_workspace_id": "/w"})
	count(activity_log_export.deny) == 0 with input as tl.mk([_rg, ds])
}

test_allow_activity_log_export_all_logs if {
	count(activity_log_export.deny) == 0 with input as tl.mk([_rg, _sub, _ds({"enabled_log": [{"category_group": "allLogs"}]})])
}
