package zonegate.rules.iam.role_privileged_test

import data.zonegate.rules.iam.role_privileged
import data.zonegate.testlib as tl
import rego.v1

_ra(v) := tl.res("azurerm_role_assignment", "ra", object.union({"scope": "/s/rg/x", "principal_id": "p"}, v))

test_deny_role_privileged_name if {
	count(role_privileged.deny) == 1 with input as tl.mk([_ra({"role_definition_name": "Owner"})])
	count(role_privileged.deny) == 1 with input as tl.mk([_ra({"role_definition_name": " user access administrator"})])
}

test_deny_role_privileged_id if {
	count(role_privileged.deny) == 1 with input as tl.mk([_ra({"role_definition_id": "/subscriptions/1/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C"})])
	count(role_privileged.deny) == 1 with input as tl.mk([_ra({"role_definition_id": "f58310d9-a9f6-439a-9e8d-f62e7b41a168"})])
}

test_deny_role_privileged_none if {
	count(role_privileged.deny) == 1 with input as tl.mk([_ra({})])
}

test_allow_role_privileged if {
	count(role_privileged.deny) == 0 with input as tl.mk([_ra({"role_definition_name": "Network Contributor"})])
	count(role_privileged.deny) == 0 with input as tl.mk([_ra({"role_definition_id": "/providers/Microsoft.Authorization/roleDefinitions/12338af0-0e69-4776-bea7-57ae8d297424"})])
}

test_allow_role_privileged_ref if {
	r := object.union(_ra({}), {"refs": {"role_definition_id": ["s::azurerm_role_definition.custom"]}})
	count(role_privileged.deny) == 0 with input as tl.mk([r])
}

test_unknown_role_privileged if {
	some f in role_privileged.deny with input as tl.mk([tl.unk(_ra({}), ["role_definition_id"])])
	f.unknown
}
