package zonegate.rules.st_customer_managed_key

import data.zonegate.testlib as tl
import rego.v1

_sa := tl.res("azurerm_storage_account", "sa", {"id": "/sub/1/sa"})

test_deny_st_customer_managed_key if {
	count(deny) == 1 with input as tl.mk([_sa])
}

test_allow_st_customer_managed_key_block if {
	sa := tl.unk(tl.res("azurerm_storage_account", "sa", {"customer_managed_key": [{"key_vault_key_id": null}]}), ["customer_managed_key.0.key_vault_key_id"])
	count(deny) == 0 with input as tl.mk([sa])
}

test_allow_st_customer_managed_key_resource_ref if {
	c := tl.ref(tl.res("azurerm_storage_account_customer_managed_key", "c", {}), "storage_account_id", _sa)
	count(deny) == 0 with input as tl.mk([_sa, c])
}

test_allow_st_customer_managed_key_resource_id if {
	c := tl.res("azurerm_storage_account_customer_managed_key", "c", {"storage_account_id": "/SUB/1/sa"})
	count(deny) == 0 with input as tl.mk([_sa, c])
}
