package zonegate.rules.api_request_validation

import data.zonegate.testlib as tl
import rego.v1

_api := tl.res("azurerm_api_management_api", "accounts", {"name": "accounts"})

_good_xml := `<policies><inbound><base /><validate-content unspecified-content-type-action="prevent"><content type="application/json" validate-as="json" action="prevent" /></validate-content><choose><when condition="@{ var body = context.Request.Body.As<string>(); /* [0-9]{13,19} */ }"><return-response /></when></choose></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`

_policy(x) := tl.ref(tl.res("azurerm_api_management_api_policy", "p", {"xml_content": x}), "api_name", _api)

_link := tl.unk(tl.ref(tl.res("azurerm_api_management_product_api", "l", {}), "api_name", _api), ["product_id"])

test_deny_api_request_validation_no_policy if {
	count(deny) == 1 with input as tl.mk([_api, _link])
}

test_deny_api_request_validation_no_validate_content if {
	count(deny) == 1 with input as tl.mk([_api, _link, _policy(replace(_good_xml, `action="prevent" />`, `action="detect" />`))])
}

test_deny_api_request_validation_no_base if {
	count(deny) == 1 with input as tl.mk([_api, _link, _policy(replace(_good_xml, "<inbound><base />", "<inbound>"))])
}

test_deny_api_request_validation_no_card_check if {
	count(deny) == 1 with input as tl.mk([_api, _link, _policy(replace(_good_xml, "{13,19}", "{4}"))])
}

test_deny_api_request_validation_no_product if {
	count(deny) == 1 with input as tl.mk([_api, _policy(_good_xml)])
}

test_allow_api_request_validation if {
	count(deny) == 0 with input as tl.mk([_api, _link, _policy(_good_xml)])
}

test_allow_api_request_validation_by_name if {
	p := tl.res("azurerm_api_management_api_policy", "p", {"api_name": "Accounts", "xml_content": _good_xml})
	l := tl.res("azurerm_api_management_product_api", "l", {"api_name": "accounts", "product_id": "t"})
	count(deny) == 0 with input as tl.mk([_api, l, p])
}

test_unknown_api_request_validation if {
	p := tl.unk(tl.ref(tl.res("azurerm_api_management_api_policy", "p", {}), "api_name", _api), ["xml_content"])
	some f in deny with input as tl.mk([_api, _link, p])
	f.unknown
}
