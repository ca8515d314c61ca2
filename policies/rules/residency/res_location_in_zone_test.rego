package zonegate.rules.res_location_in_zone

import data.zonegate.testlib as tl
import rego.v1

test_deny_res_location_in_zone if {
	fs := deny with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"location": "East US"})])
	count(fs) == 1
	some f in fs
	f.message == "location East US is outside residency zone eu"
}

test_allow_res_location_in_zone if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"location": "West Europe"}), tl.res("azurerm_subnet", "s", {})])
}

test_allow_res_location_global_type if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_private_dns_zone", "z", {"location": "global"})])
}

test_deny_res_location_global_other_type if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"location": "global"})])
}

test_unknown_res_location_in_zone if {
	some f in deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "kv", {}), ["location"])])
	f.unknown
}

test_deny_res_location_bad_zone if {
	count(deny) == 1 with input as tl.mk([tl.tenant_with(tl.res("azurerm_key_vault", "kv", {}), {"residency": "mars"})])
}

test_allow_res_location_other_provider if {
	count(deny) == 0 with input as tl.mk([tl.res("kubernetes_manifest", "m", {"location": "eastus"})])
}
