package zonegate.rules.st.shared_key_disabled_test

import data.zonegate.rules.st.shared_key_disabled
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_shared_key_disabled if {
	fs := shared_key_disabled.deny with input as tl.mk([tl.res("azurerm_storage_account", "x", {"shared_access_key_enabled": true})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-005"
	f.unknown == false
}

test_allow_st_shared_key_disabled if {
	count(shared_key_disabled.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"shared_access_key_enabled": false})])
}

test_unknown_st_shared_key_disabled if {
	fs := shared_key_disabled.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "x", {}), ["shared_access_key_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_st_shared_key_disabled if {
	count(shared_key_disabled.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {})])
}
