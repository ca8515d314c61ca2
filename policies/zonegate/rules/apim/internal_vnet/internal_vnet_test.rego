package zonegate.rules.apim.internal_vnet_test

import data.zonegate.rules.apim.internal_vnet
import data.zonegate.testlib as tl
import rego.v1

test_deny_apim_internal_vnet if {
	fs := internal_vnet.deny with input as tl.mk([tl.res("azurerm_api_management", "x", {"virtual_network_type": "External"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-APIM-001"
	f.unknown == false
}

test_allow_apim_internal_vnet if {
	count(internal_vnet.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "x", {"virtual_network_type": "Internal"})])
}

test_unknown_apim_internal_vnet if {
	fs := internal_vnet.deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "x", {}), ["virtual_network_type"])])
	some f in fs
	f.unknown == true
}

test_absent_apim_internal_vnet if {
	count(internal_vnet.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "x", {})])
}
