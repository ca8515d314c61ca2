package zonegate.rules.st.no_public_blobs_test

import data.zonegate.rules.st.no_public_blobs
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_no_public_blobs if {
	fs := no_public_blobs.deny with input as tl.mk([tl.res("azurerm_storage_account", "x", {"allow_nested_items_to_be_public": true})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-003"
	f.unknown == false
}

test_allow_st_no_public_blobs if {
	count(no_public_blobs.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"allow_nested_items_to_be_public": false})])
}

test_unknown_st_no_public_blobs if {
	fs := no_public_blobs.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "x", {}), ["allow_nested_items_to_be_public"])])
	some f in fs
	f.unknown == true
}

test_absent_st_no_public_blobs if {
	count(no_public_blobs.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {})])
}

test_deny_legacy_st_no_public_blobs if {
	count(no_public_blobs.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"allow_blob_public_access": true})])
}
