package zonegate.rules.apim_jwt_rate_limit

import data.zonegate.testlib as tl
import rego.v1

_apim := tl.res("azurerm_api_management", "a", {})

_pol(xml) := tl.res("azurerm_api_management_product_policy", "p", {"xml_content": xml})

test_deny_apim_jwt_rate_limit if {
	count(deny) == 1 with input as tl.mk([_apim, _pol("<policies><inbound><validate-jwt header-name=\"Authorization\" /><rate-limit-by-key calls=\"1\" /></inbound></policies>")])
}

test_deny_apim_jwt_rate_limit_no_policy if {
	count(deny) == 1 with input as tl.mk([_apim])
}

test_allow_apim_jwt_rate_limit if {
	count(deny) == 0 with input as tl.mk([_apim, _pol("<policies><inbound><validate-jwt header-name=\"Authorization\"><audiences><audience>api://x</audience></audiences></validate-jwt><rate-limit-by-key calls=\"600\" renewal-period=\"60\" counter-key=\"@(context.Subscription.Id)\" /></inbound></policies>")])
}

test_unknown_apim_jwt_rate_limit if {
	some f in deny with input as tl.mk([_apim, tl.unk(_pol(null), ["xml_content"])])
	f.unknown
}
