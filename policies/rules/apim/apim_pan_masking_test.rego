package zonegate.rules.apim_pan_masking

import data.zonegate.testlib as tl
import rego.v1

_apim := tl.res("azurerm_api_management", "a", {})

_pol(xml) := tl.res("azurerm_api_management_product_policy", "p", {"xml_content": xml})

test_deny_apim_pan_masking if {
	count(deny) == 1 with input as tl.mk([_apim, _pol("<policies><inbound><validate-jwt /></inbound><outbound><base /></outbound></policies>")])
}

test_deny_apim_pan_masking_no_policy if {
	count(deny) == 1 with input as tl.mk([_apim])
}

test_allow_apim_pan_masking if {
	count(deny) == 0 with input as tl.mk([_apim, _pol("<policies><inbound /><outbound><!-- pan-mask --><set-body>@(Regex.Replace(context.Response.Body.As<string>(), \"\\\\b(\\\\d{6})\\\\d{3,9}(\\\\d{4})\\\\b\", \"$1******$2\"))</set-body></outbound></policies>")])
}

test_unknown_apim_pan_masking if {
	some f in deny with input as tl.mk([_apim, tl.unk(_pol(null), ["xml_content"])])
	f.unknown
}

_mask := "<policies><inbound /><outbound><!-- pan-mask --><set-body>masked</set-body></outbound></policies>"

_global(xml) := tl.res("azurerm_api_management_policy", "g", {"xml_content": xml})

test_allow_apim_pan_masking_global_inherited if {
	count(deny) == 0 with input as tl.mk([_apim, _global(_mask), _pol("<policies><inbound><base /></inbound><outbound><base /></outbound></policies>")])
}

test_deny_apim_pan_masking_child_drops_base if {
	count(deny) == 1 with input as tl.mk([_apim, _global(_mask), _pol("<policies><inbound><base /></inbound><outbound /></policies>")])
}

test_deny_apim_pan_masking_global_without_mask if {
	count(deny) == 1 with input as tl.mk([_apim, _global("<policies><inbound /><outbound /></policies>"), _pol("<policies><outbound><base /></outbound></policies>")])
}

test_allow_apim_pan_masking_global_only if {
	count(deny) == 0 with input as tl.mk([_apim, _global(_mask)])
}

test_unknown_apim_pan_masking_global if {
	some f in deny with input as tl.mk([_apim, tl.unk(_global(null), ["xml_content"]), _pol("<policies><outbound><base /></outbound></policies>")])
	f.unknown
}

test_unknown_apim_pan_masking_child if {
	some f in deny with input as tl.mk([_apim, _global(_mask), tl.unk(_pol(null), ["xml_content"])])
	f.unknown
}
