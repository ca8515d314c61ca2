package zonegate.rules.kv_rbac_authorization

import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_rbac_authorization if {
	fs := deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"rbac_authorization_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-003"
	f.unknown == false
}

test_allow_kv_rbac_authorization if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"rbac_authorization_enabled": true})])
}

test_unknown_kv_rbac_authorization if {
	fs := deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["rbac_authorization_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_rbac_authorization if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}

test_deny_legacy_kv_rbac_authorization if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"enable_rbac_authorization": false})])
}
