package zonegate.rules.cat.denied_service_test

import data.zonegate.rules.cat.denied_service
import data.zonegate.testlib as tl
import rego.v1

test_deny_cat_template_deployment if {
	fs := denied_service.deny with input as tl.mk([tl.res("azurerm_resource_group_template_deployment", "t", {"template_content": "{}"})])
	count(fs) == 1
	some f in fs
	startswith(f.message, "azurerm_resource_group_template_deployment is denied by the approved-services catalogue")
}

test_deny_cat_external_data_source if {
	count(denied_service.deny) == 1 with input as tl.mk([object.union(tl.res("external", "x", {"program": ["sh"]}), {"mode": "data"})])
}

test_allow_cat_denied_removed if {
	rs := [object.union(tl.res("azurerm_template_deployment", "t", {}), {"actions": ["delete"]}), tl.res("azurerm_key_vault", "kv", {})]
	count(denied_service.deny) == 0 with input as tl.mk(rs)
}
