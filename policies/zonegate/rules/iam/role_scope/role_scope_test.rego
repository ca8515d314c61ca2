package zonegate.rules.iam.role_scope_test

import data.zonegate.rules.iam.role_scope
import data.zonegate.testlib as tl
import rego.v1

_ra(v) := tl.res("azurerm_role_assignment", "ra", object.union({"role_definition_name": "Reader"}, v))

test_deny_role_scope_subscription if {
	count(role_scope.deny) == 1 with input as tl.mk([_ra({"scope": "/subscriptions/0000/"})])
	count(role_scope.deny) == 1 with input as tl.mk([_ra({"scope": "/providers/Microsoft.Management/managementGroups/mg"})])
	count(role_scope.deny) == 1 with input as tl.mk([_ra({"scope": "/"})])
}

test_deny_role_scope_ref if {
	sub := object.union(tl.res("azurerm_subscription", "current", {}), {"mode": "data"})
	count(role_scope.deny) == 1 with input as tl.mk([sub, tl.ref(_ra({}), "scope", sub)])
}

test_deny_role_scope_missing if {
	count(role_scope.deny) == 1 with input as tl.mk([_ra({})])
}

test_allow_role_scope if {
	count(role_scope.deny) == 0 with input as tl.mk([_ra({"scope": "/subscriptions/0000/resourceGroups/rg"})])
	kv := tl.res("azurerm_key_vault", "kv", {})
	count(role_scope.deny) == 0 with input as tl.mk([kv, tl.ref(_ra({}), "scope", kv)])
	count(role_scope.deny) == 0 with input as tl.mk([tl.unk(_ra({}), ["scope"])])
}
