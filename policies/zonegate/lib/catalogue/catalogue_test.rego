package zonegate.lib.catalogue_test

import data.zonegate.lib.catalogue as cat
import data.zonegate.testlib as tl
import rego.v1

test_allow_values_at if {
	x := {"a": [{"b": 1}, {"b": 2}, {"c": 3}], "o": {"b": 4}, "n": null}
	cat.values_at(x, "a.*.b") == [1, 2]
	cat.values_at(x, "a.b") == [1, 2]
	cat.values_at(x, "a.1.b") == [2]
	cat.values_at(x, "o.*.b") == [4]
	cat.values_at(x, "n") == []
	cat.values_at({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}, "a.b.c.d.e.f") == [1]
	cat.values_at({"a": {"b": {"c": {"d": {"e": 1}}}}}, "a.b.c.d.e") == [1]
	cat.values_at({"a": {"b": {"c": {"d": 1}}}}, "a.b.c.d") == [1]
}

test_allow_arm_type_and_entry if {
	r := tl.res("azapi_resource", "a", {"type": "Microsoft.KeyVault/vaults@2023-07-01"})
	cat.arm_type(r) == "microsoft.keyvault/vaults"
	cat.entry_type(r) == "azurerm_key_vault"
	cat.entry_type(tl.res("azurerm_subnet", "s", {})) == "azurerm_subnet"
}

test_allow_body_string_and_invalid if {
	cat.body(tl.res("azapi_resource", "a", {"body": "{\"location\": \"x\"}"})) == {"location": "x"}
	not cat.body(tl.res("azapi_resource", "a", {"body": "not json"}))
}

test_allow_env_prod if {
	cat.env_prod(tl.res("azurerm_subnet", "s", {}))
	cat.env_prod(tl.override(tl.res("azurerm_subnet", "s", {}), {"tenant": null}))
	not cat.env_prod(tl.tenant_with(tl.res("azurerm_subnet", "s", {}), {"env": "dev"}))
}

test_allow_global_ok if {
	cat.global_ok(tl.res("azurerm_monitor_action_group", "ag", {}))
	not cat.global_ok(tl.res("azurerm_key_vault", "kv", {}))
}

test_allow_path_unknown if {
	r := tl.unk(tl.res("azurerm_cosmosdb_account", "c", {"geo_location": [{"location": "westeurope"}, {"location": null}]}), ["geo_location.1.location"])
	cat.path_unknown(r, "geo_location.*.location")
	cat.path_unknown(tl.unk(r, ["geo_location"]), "geo_location.*.location")
	not cat.path_unknown(tl.unk(r, ["geo_location_x"]), "geo_location.*.location")
	not cat.path_unknown(r, "location")
}
