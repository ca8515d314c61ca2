package zonegate.lib

import data.zonegate.testlib as tl
import rego.v1

_r := tl.unk(
	tl.res("azurerm_storage_account", "sa", {
		"a": {"b": [{"c": {"d": {"e": 5}}}]},
		"lst": [1, 2],
		"n": null,
		"f": false,
		"network_acls": [{"default_action": "Deny"}],
	}),
	["x.0.y", "blk"],
)

test_allow_get_paths if {
	get(_r.values, "a.b.c.d.e") == 5
	get(_r.values, "a.b.0.c.d") == {"e": 5}
	get(_r.values, "lst.1") == 2
	get(_r.values, "network_acls.default_action") == "Deny"
	not get(_r.values, "missing.x")
}

test_allow_tri_state if {
	known(_r, "f")
	known(_r, ["n", "f"])
	attr(_r, ["n", "f"]) == false
	not known(_r, "n")
	unknown(_r, "x.y")
	unknown(_r, "blk.z")
	not unknown(_r, "f")
	absent(_r, "zzz")
	not absent(_r, "x.y")
	value(_r, "zzz", 3) == 3
	value(_r, "f", true) == false
	not value(_r, "x.y", 1)
}

test_allow_present_and_refs if {
	t := tl.res("azurerm_key_vault", "kv", {"id": "/SUB/kv"})
	r := tl.ref(tl.res("azurerm_key_vault_key", "k", {"key_vault_id": "/sub/KV"}), "key_vault_id", t)
	present(r, "key_vault_id")
	present(_r, "x.y")
	referenced(r, "key_vault_id")
	r2 := tl.ref(tl.res("azurerm_key_vault_key", "k2", {}), "key_vault_id", t)
	present(r2, "key_vault_id")
	refs_to(r, "key_vault_id") == {"s::azurerm_key_vault.kv"}
	points_to(r, "key_vault_id", t)
	points_to(tl.res("x", "y", {"key_vault_id": "/sub/kv"}), "key_vault_id", t)
	not present(_r, "nope")
}

test_allow_blocks if {
	blocks({"b": {"x": 1}}, "b") == [{"x": 1}]
	blocks({"b": [{"x": 1}, 2]}, "b") == [{"x": 1}]
	blocks({}, "b") == []
	blocks({"b": "s"}, "b") == []
	block({"b": [{"x": 1}]}, "b") == {"x": 1}
}

test_allow_residency if {
	in_zone("West Europe", "eu")
	in_zone("north-europe", "eu")
	not in_zone("eastus", "eu")
	pair_of("West Europe") == "northeurope"
	"westeurope" in zone_regions("eu")
}

test_allow_tenant_helpers if {
	tenant_has(_r, "gdpr")
	prod(_r)
	not prod(tl.tenant_with(_r, {"env": "dev"}))
	prod(tl.override(_r, {"tenant": null, "context": {"env": "prod"}}))
	min_days(_r, 365, 2557, 90) == 365
	min_days(tl.tenant_with(_r, {"compliance": ["sox", "pci-dss-4.0"]}), 365, 2557, 90) == 2557
	min_days(tl.tenant_with(_r, {"compliance": []}), 365, 2557, 90) == 90
	same_stack(_r, _r)
	managed(_r)
	not managed(tl.override(_r, {"actions": ["delete"]}))
	not managed(tl.override(_r, {"mode": "data"}))
}

test_allow_numbers if {
	num(3) == 3
	num("90") == 90
	not num("x")
}

test_allow_resources_by_type if {
	inp := tl.mk([_r, tl.res("azurerm_key_vault", "kv", {})])
	count(resources("azurerm_key_vault")) == 1 with input as inp
	count(resources("nope")) == 0 with input as inp
	count(resources_of(["azurerm_key_vault", "azurerm_storage_account"])) == 2 with input as inp
}

test_allow_meta if {
	chain := [{"annotations": {"custom": {"id": "ZG-X-001", "scope": "estate"}}}]
	meta(chain) == {"id": "ZG-X-001", "scope": "estate"}
	meta([{"annotations": {"title": "t"}}, {"annotations": {"custom": {"id": "ZG-X-002"}}}]) == {"id": "ZG-X-002", "scope": "resource"}
}

test_deny_check_helpers if {
	check("ZG-X", 0, _r, "f", {true}, null, "m") == finding("ZG-X", 0, "m")
	check("ZG-X", 0, _r, "x.y", {true}, null, "m").unknown
	not check("ZG-X", 0, _r, "f", {false}, null, "m")
	check_min("ZG-X", 0, _r, "lst.0", 5, null, "m").message == "m"
	check_min("ZG-X", 0, _r, "x.y", 5, null, "m").unknown
	not check_min("ZG-X", 0, _r, "zz", 5, 10, "m")
}

test_allow_zone if {
	zone(tl.res("azurerm_subnet", "s", {})) == "eu"
	zone(tl.override(tl.res("azurerm_subnet", "s", {}), {"tenant": null, "context": {"residency": "us"}})) == "us"
	not zone(tl.override(tl.res("azurerm_subnet", "s", {}), {"tenant": null, "context": {"region": "x"}}))
}

test_allow_owner_env if {
	owner_env(_r) == "acme/prod"
	platform := tl.override(_r, {"tenant": null, "context": {"env": "dev", "region": "westeurope"}})
	owner_env(platform) == "platform:westeurope/dev"
	no_id := {"tenant": {"env": "staging"}}
	owner_env(no_id) == "/staging"
}
