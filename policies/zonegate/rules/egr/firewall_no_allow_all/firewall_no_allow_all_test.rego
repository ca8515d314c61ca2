package zonegate.rules.egr.firewall_no_allow_all_test

import data.zonegate.rules.egr.firewall_no_allow_all
import data.zonegate.testlib as tl
import rego.v1

_g(v) := tl.res("azurerm_firewall_policy_rule_collection_group", "g", v)

_app(fqdns) := {"application_rule_collection": [{"name": "a", "action": "Allow", "rule": [{"name": "r", "destination_fqdns": fqdns}]}]}

_net(addrs, ports) := {"network_rule_collection": [{"name": "n", "action": "Allow", "rule": [{"name": "r", "destination_addresses": addrs, "destination_ports": ports}]}]}

test_deny_firewall_no_allow_all_app if {
	count(firewall_no_allow_all.deny) == 1 with input as tl.mk([_g(_app(["*"]))])
}

test_deny_firewall_no_allow_all_net if {
	count(firewall_no_allow_all.deny) == 1 with input as tl.mk([_g(_net(["0.0.0.0/0"], ["*"]))])
}

test_allow_firewall_no_allow_all if {
	count(firewall_no_allow_all.deny) == 0 with input as tl.mk([_g(_app(["*.bank.example", "mcr.microsoft.com"]))])
	count(firewall_no_allow_all.deny) == 0 with input as tl.mk([_g(_net(["AzureMonitor"], ["443"]))])
	count(firewall_no_allow_all.deny) == 0 with input as tl.mk([_g(_net(["*"], ["443"]))])
	deny_all := {"application_rule_collection": [{"name": "a", "action": "Deny", "rule": [{"name": "r", "destination_fqdns": ["*"]}]}]}
	count(firewall_no_allow_all.deny) == 0 with input as tl.mk([_g(deny_all)])
}
