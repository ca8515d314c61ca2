package zonegate.rules.kv_key_rotation

import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_key_rotation if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": {"expire_after": "P1Y"}})])
}

test_allow_kv_key_rotation if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": {"automatic": {"time_before_expiry": "P30D"}}})])
}

test_allow_kv_key_rotation_list_blocks if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault_key", "k", {"rotation_policy": [{"automatic": [{"time_after_creation": "P300D"}]}]})])
}
