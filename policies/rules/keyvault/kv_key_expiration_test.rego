package zonegate.rules.kv_key_expiration

import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_key_expiration if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"key_type": "RSA-HSM"})])
}

test_allow_kv_key_expiration_date if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"expiration_date": "2027-01-01T00:00:00Z"})])
}

test_allow_kv_key_expire_after if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": [{"expire_after": "P90D"}]})])
}

test_allow_kv_key_expiration_unknown if {
	count(deny) == 0 with input as tl.mk([tl.unk(tl.res("azurerm_key_vault_key", "k", {}), ["expiration_date"])])
}
