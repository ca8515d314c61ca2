package zonegate.rules.st.worm_policy_test

import data.zonegate.rules.st.worm_policy
import data.zonegate.testlib as tl
import rego.v1

_p(v) := tl.res("azurerm_storage_container_immutability_policy", "p", v)

test_deny_st_worm_policy_unlocked if {
	count(worm_policy.deny) == 1 with input as tl.mk([_p({"locked": false, "immutability_period_in_days": 400})])
}

test_deny_st_worm_policy_short if {
	fs := worm_policy.deny with input as tl.mk([_p({"locked": true, "immutability_period_in_days": 300})])
	count(fs) == 1
}

test_deny_st_worm_policy_sox if {
	sox := tl.tenant_with(_p({"locked": true, "immutability_period_in_days": 400}), {"compliance": ["sox"]})
	count(worm_policy.deny) == 1 with input as tl.mk([sox])
}

test_allow_st_worm_policy if {
	count(worm_policy.deny) == 0 with input as tl.mk([_p({"locked": true, "immutability_period_in_days": 365})])
}

test_allow_st_worm_policy_other if {
	gdpr := tl.tenant_with(_p({"locked": true, "immutability_period_in_days": 365}), {"compliance": ["gdpr"]})
	count(worm_policy.deny) == 0 with input as tl.mk([gdpr])
}

test_unknown_st_worm_policy if {
	fs := worm_policy.deny with input as tl.mk([tl.unk(_p({"immutability_period_in_days": 400}), ["locked"])])
	some f in fs
	f.unknown
}
