package zonegate.rules.apim.identity_test

import data.zonegate.rules.apim.identity
import data.zonegate.testlib as tl
import rego.v1

test_deny_apim_identity if {
	count(identity.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"identity": []})])
}

test_allow_apim_identity if {
	count(identity.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"identity": {"type": "SystemAssigned"}})])
}

test_unknown_apim_identity if {
	some f in identity.deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "a", {}), ["identity"])])
	f.unknown
}
