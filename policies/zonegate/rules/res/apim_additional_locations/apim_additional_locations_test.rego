package zonegate.rules.res.apim_additional_locations_test

import data.zonegate.rules.res.apim_additional_locations
import data.zonegate.testlib as tl
import rego.v1

test_deny_res_apim_additional_locations if {
	count(apim_additional_locations.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"additional_location": [{"location": "westeurope"}, {"location": "eastus"}]})])
}

test_allow_res_apim_additional_locations if {
	count(apim_additional_locations.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"additional_location": {"location": "North Europe"}})])
}

test_allow_res_apim_no_additional_locations if {
	count(apim_additional_locations.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {})])
}

test_unknown_res_apim_additional_locations if {
	some f in apim_additional_locations.deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "a", {}), ["additional_location.0.location"])])
	f.unknown
}
