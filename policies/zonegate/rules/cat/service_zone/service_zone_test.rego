package zonegate.rules.cat.service_zone_test

import data.zonegate.rules.cat.service_zone
import data.zonegate.testlib as tl
import rego.v1

test_deny_cat_front_door_any_zone if {
	fs := service_zone.deny with input as tl.mk([tl.res("azurerm_cdn_frontdoor_profile", "afd", {"sku_name": "Premium_AzureFrontDoor"})])
	count(fs) == 1
	some f in fs
	f.message == "azurerm_cdn_frontdoor_profile is not approved for residency zone eu (approved zones: none)"
}

test_deny_cat_zone_platform_stack if {
	r := tl.override(tl.res("azurerm_cdn_endpoint", "e", {}), {"tenant": null, "context": {"platform": true, "residency": "us"}})
	count(service_zone.deny) == 1 with input as tl.mk([r])
}

test_allow_cat_zone_explicit_global if {
	rs := [
		tl.res("azurerm_traffic_manager_profile", "tm", {}),
		tl.res("azurerm_monitor_action_group", "ag", {"location": "global"}),
		tl.res("azurerm_key_vault", "kv", {}),
		tl.res("azapi_resource", "dns", {"type": "Microsoft.Network/privateDnsZones@2024-06-01"}),
	]
	count(service_zone.deny) == 0 with input as tl.mk(rs)
}

test_allow_cat_zone_deleted if {
	count(service_zone.deny) == 0 with input as tl.mk([object.union(tl.res("azurerm_frontdoor", "fd", {}), {"actions": ["delete"]})])
}
