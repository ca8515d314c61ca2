package zonegate.rules.egr.firewall_policy_threats_test

import data.zonegate.rules.egr.firewall_policy_threats
import data.zonegate.testlib as tl
import rego.v1

_good := {"sku": "Premium", "threat_intelligence_mode": "Deny", "intrusion_detection": {"mode": "Deny"}}

_p(v) := tl.res("azurerm_firewall_policy", "p", v)

test_deny_firewall_policy_threats if {
	count(firewall_policy_threats.deny) == 3 with input as tl.mk([_p({})])
	count(firewall_policy_threats.deny) == 1 with input as tl.mk([_p(object.union(_good, {"threat_intelligence_mode": "Alert"}))])
	count(firewall_policy_threats.deny) == 1 with input as tl.mk([_p(object.union(_good, {"intrusion_detection": [{"mode": "Alert"}]}))])
}

test_deny_firewall_without_policy if {
	count(firewall_policy_threats.deny) == 1 with input as tl.mk([tl.res("azurerm_firewall", "f", {})])
}

test_allow_firewall_policy_threats if {
	count(firewall_policy_threats.deny) == 0 with input as tl.mk([_p(_good), tl.unk(tl.res("azurerm_firewall", "f", {}), ["firewall_policy_id"])])
}

test_unknown_firewall_policy_threats if {
	some f in firewall_policy_threats.deny with input as tl.mk([tl.unk(_p(object.remove(_good, ["threat_intelligence_mode"])), ["threat_intelligence_mode"])])
	f.unknown
}
