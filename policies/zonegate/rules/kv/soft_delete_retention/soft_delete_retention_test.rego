package zonegate.rules.kv.soft_delete_retention_test

import data.zonegate.rules.kv.soft_delete_retention
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_soft_delete_retention if {
	count(soft_delete_retention.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"soft_delete_retention_days": 7})])
}

test_allow_kv_soft_delete_retention if {
	count(soft_delete_retention.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"soft_delete_retention_days": 90})])
}

test_allow_kv_soft_delete_retention_default if {
	count(soft_delete_retention.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {})])
}

test_unknown_kv_soft_delete_retention if {
	some f in soft_delete_retention.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "kv", {}), ["soft_delete_retention_days"])])
	f.unknown
}
