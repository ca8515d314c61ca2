package zonegate.rules.mon.action_group_receivers_test

import data.zonegate.rules.mon.action_group_receivers
import data.zonegate.testlib as tl
import rego.v1

_g(v) := tl.res("azurerm_monitor_action_group", "g", v)

_mail := [{"name": "soc", "email_address": "soc@x.example"}]

test_deny_action_group_disabled if {
	count(action_group_receivers.deny) == 1 with input as tl.mk([_g({"enabled": false, "email_receiver": _mail})])
}

test_deny_action_group_no_receiver if {
	count(action_group_receivers.deny) == 1 with input as tl.mk([_g({"enabled": true})])
}

test_allow_action_group if {
	count(action_group_receivers.deny) == 0 with input as tl.mk([_g({"enabled": true, "email_receiver": _mail})])
	count(action_group_receivers.deny) == 0 with input as tl.mk([_g({"webhook_receiver": [{"name": "x"}]})])
}

test_unknown_action_group if {
	some f in action_group_receivers.deny with input as tl.mk([tl.unk(_g({}), ["email_receiver"])])
	f.unknown
	some g in action_group_receivers.deny with input as tl.mk([tl.unk(_g({"email_receiver": _mail}), ["enabled"])])
	g.unknown
}
