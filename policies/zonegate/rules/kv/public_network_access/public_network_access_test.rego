package zonegate.rules.kv.public_network_access_test

import data.zonegate.rules.kv.public_network_access
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_public_network_access if {
	fs := public_network_access.deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"public_network_access_enabled": true})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-004"
	f.unknown == false
}

test_allow_kv_public_network_access if {
	count(public_network_access.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"public_network_access_enabled": false})])
}

test_unknown_kv_public_network_access if {
	fs := public_network_access.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["public_network_access_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_public_network_access if {
	count(public_network_access.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}
