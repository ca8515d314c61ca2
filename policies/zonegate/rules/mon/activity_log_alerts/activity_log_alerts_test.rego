package zonegate.rules.mon.activity_log_alerts_test

import data.zonegate.rules.mon.activity_log_alerts
import data.zonegate.testlib as tl
import rego.v1

_rg := tl.res("azurerm_resource_group", "rg", {})

_alert(op, v) := tl.res("azurerm_monitor_activity_log_alert", op, object.union(
	{"criteria": {"category": "Administrative", "operation_name": op}, "scopes": ["/subscriptions/0000"], "action": [{"action_group_id": "/ag"}]},
	v,
))

_all(v) := [_alert(op, v) | some op in activity_log_alerts._operations]

test_deny_activity_log_alerts_missing if {
	count(activity_log_alerts.deny) == 1 with input as tl.mk([_rg])
}

test_deny_activity_log_alerts_disabled if {
	count(activity_log_alerts.deny) == 1 with input as tl.mk(array.concat([_rg], _all({"enabled": false})))
}

test_deny_activity_log_alerts_no_action if {
	rs := [object.union(a, {"values": {"action": []}}) | some a in _all({})]
	count(activity_log_alerts.deny) == 1 with input as tl.mk(array.concat([_rg], rs))
}

test_deny_activity_log_alerts_unscoped if {
	count(activity_log_alerts.deny) == 1 with input as tl.mk(array.concat([_rg], _all({"scopes": []})))
}

test_deny_activity_log_alerts_one_missing if {
	some f in activity_log_alerts.deny with input as tl.mk(array.concat([_rg], array.slice(_all({}), 1, 11)))
	contains(f.message, "policyassignments/write")
}

test_allow_activity_log_alerts if {
	count(activity_log_alerts.deny) == 0 with input as tl.mk(array.concat([_rg], _all({})))
}

test_allow_activity_log_alerts_refs if {
	rs := [tl.unk(a, ["scopes.0", "action.0.action_group_id"]) | some a in _all({"enabled": true, "scopes": [null], "action": [{"action_group_id": null}]})]
	count(activity_log_alerts.deny) == 0 with input as tl.mk(array.concat([_rg], rs))
}
