package zonegate.rules.kv.rbac_authorization_test

import data.zonegate.rules.kv.rbac_authorization
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_rbac_authorization if {
	fs := rbac_authorization.deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"rbac_authorization_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-003"
	f.unknown == false
}

test_allow_kv_rbac_authorization if {
	count(rbac_authorization.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"rbac_authorization_enabled": true})])
}

test_unknown_kv_rbac_authorization if {
	fs := rbac_authorization.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["rbac_authorization_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_rbac_authorization if {
	count(rbac_authorization.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}

test_deny_legacy_kv_rbac_authorization if {
	count(rbac_authorization.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"enable_rbac_authorization": false})])
}

_kv(e) := object.union(tl.res("azurerm_key_vault", "kv", {"rbac_authorization_enabled": true}), {"effective": e})

test_deny_kv_separate_access_policy if {
	ap := object.union(tl.res("azurerm_key_vault_access_policy", "ap", {}), {"effective": {}})
	fs := rbac_authorization.deny with input as tl.mk([_kv({"access_policies": [{"at": 1}]}), ap])
	count(fs) == 1
	some f in fs
	f.resource == 1
}

test_deny_kv_orphan_access_policy if {
	ap := object.union(tl.res("azurerm_key_vault_access_policy", "ap", {}), {"effective": {"access_policies": [{"at": 0}]}})
	count(rbac_authorization.deny) == 1 with input as tl.mk([ap])
}

test_deny_kv_privileged_role_assignment if {
	ra := tl.res("azurerm_role_assignment", "ra", {})
	fs := rbac_authorization.deny with input as tl.mk([_kv({"role_assignments": [{"at": 1, "role": "Owner"}, {"at": 1, "role": "Key Vault Crypto Officer"}]}), ra])
	count(fs) == 1
	some f in fs
	f.resource == 1
	f.message == "Role assignment Owner on the Key Vault lets its holder change the vault's access control"
}

test_allow_kv_data_roles if {
	count(rbac_authorization.deny) == 0 with input as tl.mk([_kv({"role_assignments": [{"at": 0, "role": "Key Vault Crypto Service Encryption User"}]})])
}

test_unknown_kv_role_assignment if {
	ra := tl.res("azurerm_role_assignment", "ra", {})
	fs := rbac_authorization.deny with input as tl.mk([_kv({"role_assignments": [{"at": 1, "role": "unknown"}]}), ra])
	count(fs) == 1
	some f in fs
	f.unknown
	f.resource == 1
}
