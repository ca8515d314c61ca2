package zonegate.rules.st.container_private_test

import data.zonegate.rules.st.container_private
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_container_private if {
	fs := container_private.deny with input as tl.mk([tl.res("azurerm_storage_container", "x", {"container_access_type": "blob"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-004"
	f.unknown == false
}

test_allow_st_container_private if {
	count(container_private.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_container", "x", {"container_access_type": "private"})])
}

test_unknown_st_container_private if {
	fs := container_private.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_container", "x", {}), ["container_access_type"])])
	some f in fs
	f.unknown == true
}

test_absent_st_container_private if {
	count(container_private.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_container", "x", {})])
}
