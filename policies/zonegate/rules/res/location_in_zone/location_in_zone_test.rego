package zonegate.rules.res.location_in_zone_test

import data.zonegate.rules.res.location_in_zone
import data.zonegate.testlib as tl
import rego.v1

test_deny_res_location_in_zone if {
	fs := location_in_zone.deny with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"location": "East US"})])
	count(fs) == 1
	some f in fs
	f.message == "location East US is outside residency zone eu"
}

test_allow_res_location_in_zone if {
	count(location_in_zone.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"location": "West Europe"}), tl.res("azurerm_subnet", "s", {})])
}

test_allow_res_location_global_type if {
	count(location_in_zone.deny) == 0 with input as tl.mk([tl.res("azurerm_private_dns_zone", "z", {"location": "global"})])
}

test_deny_res_location_global_other_type if {
	count(location_in_zone.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"location": "global"})])
}

test_unknown_res_location_in_zone if {
	some f in location_in_zone.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "kv", {}), ["location"])])
	f.unknown
}

test_deny_res_location_bad_zone if {
	count(location_in_zone.deny) == 1 with input as tl.mk([tl.tenant_with(tl.res("azurerm_key_vault", "kv", {}), {"residency": "mars"})])
}

test_allow_res_location_other_provider if {
	count(location_in_zone.deny) == 0 with input as tl.mk([tl.res("kubernetes_manifest", "m", {"location": "eastus"})])
}

test_deny_res_location_nested_geo_location if {
	r := tl.res("azurerm_cosmosdb_account", "c", {"location": "westeurope", "geo_location": [{"location": "northeurope"}, {"location": "eastus"}]})
	fs := location_in_zone.deny with input as tl.mk([r])
	count(fs) == 1
	some f in fs
	f.message == "geo_location.*.location eastus is outside residency zone eu"
}

test_deny_res_location_platform_stack if {
	r := tl.override(tl.res("azurerm_kubernetes_cluster", "k", {"location": "westeurope"}), {"tenant": null, "context": {"platform": true, "region": "eastus2", "residency": "us"}})
	count(location_in_zone.deny) == 1 with input as tl.mk([r])
}

test_deny_res_location_platform_no_zone if {
	r := tl.override(tl.res("azurerm_kubernetes_cluster", "k", {"location": "qatarcentral"}), {"tenant": null, "context": {"platform": true, "region": "qatarcentral"}})
	fs := location_in_zone.deny with input as tl.mk([r])
	some f in fs
	startswith(f.message, "no residency zone applies to this resource")
}

test_deny_res_location_azapi_body if {
	rs := [
		tl.res("azapi_resource", "a", {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31", "body": {"location": "eastus"}}),
		tl.res("azapi_resource", "b", {"type": "Microsoft.DocumentDB/databaseAccounts@2024-05-15", "location": "westeurope", "body": "{\"properties\": {\"locations\": [{\"locationName\": \"West Europe\"}, {\"locationName\": \"East US\"}]}}"}),
		tl.res("azapi_update_resource", "c", {"type": "Microsoft.Network/networkWatchers@2024-01-01", "body": {"location": "brazilsouth"}}),
	]
	count(location_in_zone.deny) == 3 with input as tl.mk(rs)
}

test_deny_res_location_not_a_name if {
	count(location_in_zone.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"location": 7})])
}

test_allow_res_location_nested_and_global if {
	rs := [
		tl.res("azurerm_cosmosdb_account", "c", {"location": "westeurope", "geo_location": {"location": "northeurope"}}),
		tl.res("azurerm_monitor_action_group", "ag", {"location": "global"}),
		tl.res("azurerm_api_management", "apim", {"location": "westeurope", "additional_location": [{"location": "germanywestcentral"}]}),
		tl.res("azapi_resource", "a", {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31", "location": "westeurope", "body": {"properties": {}}}),
		tl.res("azurerm_redis_linked_server", "l", {"linked_redis_cache_location": "francecentral"}),
		tl.res("azurerm_some_future_type", "f", {"location": "northeurope"}),
	]
	count(location_in_zone.deny) == 0 with input as tl.mk(rs)
}

test_unknown_res_location_nested if {
	r := tl.unk(tl.res("azurerm_cosmosdb_account", "c", {"location": "westeurope"}), ["geo_location"])
	some f in location_in_zone.deny with input as tl.mk([r])
	f.unknown
}

test_deny_res_location_azapi_without_location if {
	fs := location_in_zone.deny with input as tl.mk([tl.res("azapi_resource", "a", {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31", "body": {"properties": {}}})])
	count(fs) == 1
	some f in fs
	contains(f.message, "sets no location")
}

test_allow_res_location_azapi_global_type_without_location if {
	count(location_in_zone.deny) == 0 with input as tl.mk([tl.res("azapi_resource", "z", {"type": "Microsoft.Network/privateDnsZones@2024-06-01", "body": {}})])
}
