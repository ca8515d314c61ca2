package zonegate.rules.def.tier_test

import data.zonegate.rules.def.tier
import data.zonegate.testlib as tl
import rego.v1

_p(v) := tl.res("azurerm_security_center_subscription_pricing", "p", v)

test_deny_defender_tier_free if {
	count(tier.deny) == 1 with input as tl.mk([_p({"tier": "Free", "resource_type": "Api"})])
}

test_deny_defender_tier_absent if {
	count(tier.deny) == 1 with input as tl.mk([_p({"resource_type": "Api"})])
}

test_allow_defender_tier if {
	count(tier.deny) == 0 with input as tl.mk([_p({"tier": "Standard", "resource_type": "Api"})])
}

test_unknown_defender_tier if {
	some f in tier.deny with input as tl.mk([tl.unk(_p({}), ["tier"])])
	f.unknown
}
