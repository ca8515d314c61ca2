package zonegate.rules.operation_policy_base

import data.zonegate.testlib as tl
import rego.v1

_p(x) := tl.res("azurerm_api_management_api_operation_policy", "o", {"xml_content": x})

_good := "<policies>\n  <inbound>\n    <base />\n    <!-- guard -->\n    <choose />\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>\n"

test_allow_operation_policy_base if {
	count(deny) == 0 with input as tl.mk([_p(_good)])
	count(deny) == 0 with input as tl.mk([_p("<policies><inbound><!-- a - b --><base /></inbound><outbound><base /></outbound></policies>")])
}

test_deny_operation_policy_base_missing if {
	count(deny) == 1 with input as tl.mk([_p("<policies><inbound><choose /></inbound><outbound><base /></outbound></policies>")])
	count(deny) == 1 with input as tl.mk([_p("<policies><inbound><choose /><base /></inbound><outbound><base /></outbound></policies>")])
	count(deny) == 1 with input as tl.mk([_p("<policies><inbound><base /></inbound><outbound /></policies>")])
	count(deny) == 1 with input as tl.mk([_p(5)])
}

test_unknown_operation_policy_base if {
	some f in deny with input as tl.mk([tl.unk(_p(null), ["xml_content"])])
	f.unknown
}
