package zonegate.rules.kv_key_expiration

import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_key_expiration if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"key_type": "RSA-HSM"})])
}

test_deny_kv_key_expire_after_only if {
	# expire_after applies to rotated versions only; the current version has no expiry
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": [{"expire_after": "P90D"}]})])
}

test_deny_kv_key_rotation_without_expire_after if {
	k := tl.res("azurerm_key_vault_key", "k", {"expiration_date": "2027-01-01T00:00:00Z", "rotation_policy": {"automatic": {"time_before_expiry": "P30D"}}})
	count(deny) == 1 with input as tl.mk([k])
}

test_deny_kv_key_neither if {
	count(deny) == 2 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": {"automatic": {"time_after_creation": "P90D"}}})])
}

test_allow_kv_key_expiration_date if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"expiration_date": "2027-01-01T00:00:00Z"})])
}

test_allow_kv_key_expiration_and_expire_after if {
	k := tl.res("azurerm_key_vault_key", "k", {"expiration_date": "2027-01-01T00:00:00Z", "rotation_policy": [{"expire_after": "P90D"}]})
	count(deny) == 0 with input as tl.mk([k])
}

test_allow_kv_key_expiration_unknown if {
	count(deny) == 0 with input as tl.mk([tl.unk(tl.res("azurerm_key_vault_key", "k", {}), ["expiration_date"])])
}

test_allow_kv_key_unknown_rotation_policy if {
	count(deny) == 0 with input as tl.mk([tl.unk(tl.res("azurerm_key_vault_key", "k", {"expiration_date": "2027-01-01T00:00:00Z"}), ["rotation_policy"])])
}
