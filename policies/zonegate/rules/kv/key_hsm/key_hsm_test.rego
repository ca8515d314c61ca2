package zonegate.rules.kv.key_hsm_test

import data.zonegate.rules.kv.key_hsm
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_key_hsm if {
	fs := key_hsm.deny with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"key_type": "RSA"})])
	count(fs) == 1
}

test_allow_kv_key_hsm if {
	count(key_hsm.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"key_type": "EC-HSM"})])
}

test_allow_kv_key_hsm_standard_tier if {
	count(key_hsm.deny) == 0 with input as tl.mk([tl.tenant_with(tl.res("azurerm_key_vault_key", "k", {"key_type": "RSA"}), {"tier": "standard"})])
}

test_unknown_kv_key_hsm if {
	some f in key_hsm.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault_key", "k", {}), ["key_type"])])
	f.unknown
}
