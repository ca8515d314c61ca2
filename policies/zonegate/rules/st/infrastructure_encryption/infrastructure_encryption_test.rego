package zonegate.rules.st.infrastructure_encryption_test

import data.zonegate.rules.st.infrastructure_encryption
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_infrastructure_encryption if {
	fs := infrastructure_encryption.deny with input as tl.mk([tl.res("azurerm_storage_account", "x", {"infrastructure_encryption_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-006"
	f.unknown == false
}

test_allow_st_infrastructure_encryption if {
	count(infrastructure_encryption.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"infrastructure_encryption_enabled": true})])
}

test_unknown_st_infrastructure_encryption if {
	fs := infrastructure_encryption.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "x", {}), ["infrastructure_encryption_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_st_infrastructure_encryption if {
	count(infrastructure_encryption.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {})])
}
