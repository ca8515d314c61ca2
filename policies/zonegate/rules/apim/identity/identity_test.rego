package zonegate.rules.apim.identity

import data.zonegate.testlib as tl
import rego.v1

test_deny_apim_identity if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"identity": []})])
}

test_allow_apim_identity if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"identity": {"type": "SystemAssigned"}})])
}

test_unknown_apim_identity if {
	some f in deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "a", {}), ["identity"])])
	f.unknown
}
