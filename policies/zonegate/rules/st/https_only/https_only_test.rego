package zonegate.rules.st.https_only_test

import data.zonegate.rules.st.https_only
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_https_only if {
	fs := https_only.deny with input as tl.mk([tl.res("azurerm_storage_account", "x", {"https_traffic_only_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-002"
	f.unknown == false
}

test_allow_st_https_only if {
	count(https_only.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"https_traffic_only_enabled": true})])
}

test_unknown_st_https_only if {
	fs := https_only.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "x", {}), ["https_traffic_only_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_st_https_only if {
	count(https_only.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {})])
}

test_deny_legacy_st_https_only if {
	count(https_only.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"enable_https_traffic_only": false})])
}
