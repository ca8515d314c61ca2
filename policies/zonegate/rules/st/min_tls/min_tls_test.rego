package zonegate.rules.st.min_tls_test

import data.zonegate.rules.st.min_tls
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_min_tls if {
	fs := min_tls.deny with input as tl.mk([tl.res("azurerm_storage_account", "x", {"min_tls_version": "TLS1_0"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-ST-001"
	f.unknown == false
}

test_allow_st_min_tls if {
	count(min_tls.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "x", {"min_tls_version": "TLS1_2"})])
}

test_unknown_st_min_tls if {
	fs := min_tls.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "x", {}), ["min_tls_version"])])
	some f in fs
	f.unknown == true
}

test_absent_st_min_tls if {
	count(min_tls.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "x", {})])
}
