package zonegate.rules.egr.firewall_policy_threats

import data.zonegate.testlib as tl
import rego.v1

_good := {"sku": "Premium", "threat_intelligence_mode": "Deny", "intrusion_detection": {"mode": "Deny"}}

_p(v) := tl.res("azurerm_firewall_policy", "p", v)

test_deny_firewall_policy_threats if {
	count(deny) == 3 with input as tl.mk([_p({})])
	count(deny) == 1 with input as tl.mk([_p(object.union(_good, {"threat_intelligence_mode": "Alert"}))])
	count(deny) == 1 with input as tl.mk([_p(object.union(_good, {"intrusion_detection": [{"mode": "Alert"}]}))])
}

test_deny_firewall_without_policy if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_firewall", "f", {})])
}

test_allow_firewall_policy_threats if {
	count(deny) == 0 with input as tl.mk([_p(_good), tl.unk(tl.res("azurerm_firewall", "f", {}), ["firewall_policy_id"])])
}

test_unknown_firewall_policy_threats if {
	some f in deny with input as tl.mk([tl.unk(_p(object.remove(_good, ["threat_intelligence_mode"])), ["threat_intelligence_mode"])])
	f.unknown
}
