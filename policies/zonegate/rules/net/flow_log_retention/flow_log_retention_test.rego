package zonegate.rules.net.flow_log_retention_test

import data.zonegate.rules.net.flow_log_retention
import data.zonegate.testlib as tl
import rego.v1

_f(v) := tl.res("azurerm_network_watcher_flow_log", "f", v)

test_deny_flow_log_retention_short if {
	count(flow_log_retention.deny) == 1 with input as tl.mk([_f({"enabled": true, "retention_policy": [{"enabled": true, "days": 10}]})])
}

test_deny_flow_log_retention_missing if {
	count(flow_log_retention.deny) == 1 with input as tl.mk([_f({"enabled": true})])
}

test_deny_flow_log_disabled if {
	count(flow_log_retention.deny) == 1 with input as tl.mk([_f({"enabled": false, "retention_policy": {"enabled": true, "days": 90}})])
}

test_allow_flow_log_retention if {
	count(flow_log_retention.deny) == 0 with input as tl.mk([_f({"enabled": true, "retention_policy": {"enabled": true, "days": "90"}})])
}

test_allow_flow_log_retention_forever if {
	count(flow_log_retention.deny) == 0 with input as tl.mk([_f({"enabled": true, "retention_policy": [{"enabled": true, "days": 0}]})])
}

test_unknown_flow_log_retention if {
	fs := flow_log_retention.deny with input as tl.mk([tl.unk(_f({"enabled": true, "retention_policy": [{"enabled": true}]}), ["retention_policy.0.days"])])
	count(fs) == 1
	some f in fs
	f.unknown
}
