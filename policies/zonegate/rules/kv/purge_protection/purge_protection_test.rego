package zonegate.rules.kv.purge_protection_test

import data.zonegate.rules.kv.purge_protection
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_purge_protection if {
	fs := purge_protection.deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"purge_protection_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-001"
	f.unknown == false
}

test_allow_kv_purge_protection if {
	count(purge_protection.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"purge_protection_enabled": true})])
}

test_unknown_kv_purge_protection if {
	fs := purge_protection.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["purge_protection_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_purge_protection if {
	count(purge_protection.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}
