package zonegate.rules.apim.pan_masking_test

import data.zonegate.rules.apim.pan_masking
import data.zonegate.testlib as tl
import rego.v1

_g(v) := object.union({"control": "pan-masking", "scope": "API orders via product gold", "reason": "API orders policy has no <base /> in <x>", "unknown": false}, v)

_pol(t, gaps) := object.union(tl.res(t, "p", {}), {"effective": {"apim_gaps": gaps}})

test_deny_api_policy_without_base if {
	fs := pan_masking.deny with input as tl.mk([_pol("azurerm_api_management_api_policy", [_g({})])])
	count(fs) == 1
	some f in fs
	f.resource == 0
	contains(f.message, "API orders via product gold")
}

test_deny_on_any_scope_type if {
	every t in ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_product_policy", "azurerm_api_management_api_operation_policy", "azurerm_api_management_api"] {
		count(pan_masking.deny) == 1 with input as tl.mk([_pol(t, [_g({})])])
	}
}

test_unknown_policy if {
	fs := pan_masking.deny with input as tl.mk([_pol("azurerm_api_management_product_policy", [_g({"unknown": true})])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_no_gaps if {
	count(pan_masking.deny) == 0 with input as tl.mk([_pol("azurerm_api_management_api_policy", [])])
}

test_allow_other_controls if {
	count(pan_masking.deny) == 0 with input as tl.mk([_pol("azurerm_api_management_api_policy", [_g({"control": "rate-limit-by-key"})])])
}

test_allow_deleted if {
	count(pan_masking.deny) == 0 with input as tl.mk([object.union(_pol("azurerm_api_management_api_policy", [_g({})]), {"actions": ["delete"]})])
}
