package zonegate.rules.st.customer_managed_key_test

import data.zonegate.rules.st.customer_managed_key
import data.zonegate.testlib as tl
import rego.v1

_sa := tl.res("azurerm_storage_account", "sa", {"id": "/sub/1/sa"})

test_deny_st_customer_managed_key if {
	count(customer_managed_key.deny) == 1 with input as tl.mk([_sa])
}

test_allow_st_customer_managed_key_effective if {
	sa := object.union(_sa, {"effective": {"customer_managed_key": {"at": 1}}})
	count(customer_managed_key.deny) == 0 with input as tl.mk([sa])
}

test_allow_st_customer_managed_key_deleted if {
	count(customer_managed_key.deny) == 0 with input as tl.mk([object.union(_sa, {"actions": ["delete"]})])
}
