package zonegate.rules.apim.weak_ciphers_test

import data.zonegate.rules.apim.weak_ciphers
import data.zonegate.testlib as tl
import rego.v1

test_deny_apim_weak_ciphers if {
	count(weak_ciphers.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": [{"triple_des_ciphers_enabled": true}]})])
}

test_deny_legacy_apim_weak_ciphers if {
	count(weak_ciphers.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": {"enable_triple_des_ciphers": true}})])
}

test_allow_apim_weak_ciphers if {
	count(weak_ciphers.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": {"triple_des_ciphers_enabled": false}})])
}

test_allow_apim_weak_ciphers_defaults if {
	count(weak_ciphers.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {})])
}

test_unknown_apim_weak_ciphers if {
	some f in weak_ciphers.deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "a", {}), ["security.0.triple_des_ciphers_enabled"])])
	f.unknown
}
