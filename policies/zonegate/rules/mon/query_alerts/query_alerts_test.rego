package zonegate.rules.mon.query_alerts_test

import data.zonegate.rules.mon.query_alerts
import data.zonegate.testlib as tl
import rego.v1

_ws := tl.res("azurerm_log_analytics_workspace", "w", {})

_alert(t, v) := tl.ref(
	tl.res("azurerm_monitor_scheduled_query_rules_alert_v2", t, object.union({"criteria": [{"query": concat("", [t, " | where x"])}], "action": {"action_groups": ["/ag"]}}, v)),
	"scopes.0", _ws,
)

_all(v) := [_alert(t, v) | some t in query_alerts._tables]

test_deny_query_alerts_missing if {
	count(query_alerts.deny) == 1 with input as tl.mk([_ws])
}

test_deny_query_alerts_disabled if {
	count(query_alerts.deny) == 1 with input as tl.mk(array.concat([_ws], _all({"enabled": false})))
}

test_deny_query_alerts_no_action if {
	count(query_alerts.deny) == 1 with input as tl.mk(array.concat([_ws], _all({"action": {"action_groups": []}})))
}

test_deny_query_alerts_other_workspace if {
	rs := [object.union(a, {"refs": {"scopes.0": ["s::other"]}}) | some a in _all({})]
	count(query_alerts.deny) == 1 with input as tl.mk(array.concat([_ws], rs))
}

test_deny_query_alerts_one_table if {
	some f in query_alerts.deny with input as tl.mk(array.concat([_ws], array.slice(_all({}), 1, 3)))
	contains(f.message, "AzureActivity")
}

test_allow_query_alerts if {
	count(query_alerts.deny) == 0 with input as tl.mk(array.concat([_ws], _all({"enabled": true})))
}

test_allow_query_alerts_by_id if {
	ws := tl.res("azurerm_log_analytics_workspace", "w", {"id": "/W"})
	rs := [tl.res("azurerm_monitor_scheduled_query_rules_alert_v2", t, {"scopes": ["/w"], "criteria": [{"query": t}], "action": {"action_groups": [null]}}) | some t in query_alerts._tables]
	unk := [tl.unk(r, ["action.action_groups.0"]) | some r in rs]
	count(query_alerts.deny) == 0 with input as tl.mk(array.concat([ws], unk))
}
