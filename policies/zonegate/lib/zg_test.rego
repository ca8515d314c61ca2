package zonegate.lib_test

import data.zonegate.lib as zg
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
	zg.get(_r.values, "a.b.c.d.e") == 5
	zg.get(_r.values, "a.b.0.c.d") == {"e": 5}
	zg.get(_r.values, "lst.1") == 2
	zg.get(_r.values, "network_acls.default_action") == "Deny"
	not zg.get(_r.values, "missing.x")
}

test_allow_tri_state if {
	zg.known(_r, "f")
	zg.known(_r, ["n", "f"])
	zg.attr(_r, ["n", "f"]) == false
	not zg.known(_r, "n")
	zg.unknown(_r, "x.y")
	zg.unknown(_r, "blk.z")
	not zg.unknown(_r, "f")
	zg.absent(_r, "zzz")
	not zg.absent(_r, "x.y")
	zg.value(_r, "zzz", 3) == 3
	zg.value(_r, "f", true) == false
	not zg.value(_r, "x.y", 1)
}

test_allow_present_and_refs if {
	t := tl.res("azurerm_key_vault", "kv", {"id": "/SUB/kv"})
	r := tl.ref(tl.res("azurerm_key_vault_key", "k", {"key_vault_id": "/sub/KV"}), "key_vault_id", t)
	zg.present(r, "key_vault_id")
	zg.present(_r, "x.y")
	zg.referenced(r, "key_vault_id")
	r2 := tl.ref(tl.res("azurerm_key_vault_key", "k2", {}), "key_vault_id", t)
	zg.present(r2, "key_vault_id")
	zg.refs_to(r, "key_vault_id") == {"s::azurerm_key_vault.kv"}
	zg.points_to(r, "key_vault_id", t)
	zg.points_to(tl.res("x", "y", {"key_vault_id": "/sub/kv"}), "key_vault_id", t)
	not zg.present(_r, "nope")
}

test_allow_blocks if {
	zg.blocks({"b": {"x": 1}}, "b") == [{"x": 1}]
	zg.blocks({"b": [{"x": 1}, 2]}, "b") == [{"x": 1}]
	zg.blocks({}, "b") == []
	zg.blocks({"b": "s"}, "b") == []
	zg.block({"b": [{"x": 1}]}, "b") == {"x": 1}
}

test_allow_residency if {
	zg.in_zone("West Europe", "eu")
	zg.in_zone("north-europe", "eu")
	not zg.in_zone("eastus", "eu")
	zg.pair_of("West Europe") == "northeurope"
	"westeurope" in zg.zone_regions("eu")
}

test_allow_tenant_helpers if {
	zg.tenant_has(_r, "gdpr")
	zg.prod(_r)
	not zg.prod(tl.tenant_with(_r, {"env": "dev"}))
	zg.prod(tl.override(_r, {"tenant": null, "context": {"env": "prod"}}))
	zg.min_days(_r, 365, 2557, 90) == 365
	zg.min_days(tl.tenant_with(_r, {"compliance": ["sox", "pci-dss-4.0"]}), 365, 2557, 90) == 2557
	zg.min_days(tl.tenant_with(_r, {"compliance": []}), 365, 2557, 90) == 90
	zg.same_stack(_r, _r)
	zg.managed(_r)
	not zg.managed(tl.override(_r, {"actions": ["delete"]}))
	not zg.managed(tl.override(_r, {"mode": "data"}))
}

test_allow_numbers if {
	zg.num(3) == 3
	zg.num("90") == 90
	not zg.num("x")
}

test_allow_resources_by_type if {
	inp := tl.mk([_r, tl.res("azurerm_key_vault", "kv", {})])
	count(zg.resources("azurerm_key_vault")) == 1 with input as inp
	count(zg.resources("nope")) == 0 with input as inp
	count(zg.resources_of(["azurerm_key_vault", "azurerm_storage_account"])) == 2 with input as inp
}

test_allow_meta if {
	chain := [{"annotations": {"custom": {"id": "ZG-X-001", "scope": "estate"}}}]
	zg.meta(chain) == {"id": "ZG-X-001", "scope": "estate"}
	zg.meta([{"annotations": {"title": "t"}}, {"annotations": {"custom": {"id": "ZG-X-002"}}}]) == {"id": "ZG-X-002", "scope": "resource"}
}

test_deny_check_helpers if {
	zg.check("ZG-X", 0, _r, "f", {true}, null, "m") == zg.finding("ZG-X", 0, "m")
	zg.check("ZG-X", 0, _r, "x.y", {true}, null, "m").unknown
	not zg.check("ZG-X", 0, _r, "f", {false}, null, "m")
	zg.check_min("ZG-X", 0, _r, "lst.0", 5, null, "m").message == "m"
	zg.check_min("ZG-X", 0, _r, "x.y", 5, null, "m").unknown
	not zg.check_min("ZG-X", 0, _r, "zz", 5, 10, "m")
}

test_allow_zone if {
	zg.zone(tl.res("azurerm_subnet", "s", {})) == "eu"
	zg.zone(tl.override(tl.res("azurerm_subnet", "s", {}), {"tenant": null, "context": {"residency": "us"}})) == "us"
	not zg.zone(tl.override(tl.res("azurerm_subnet", "s", {}), {"tenant": null, "context": {"region": "x"}}))
}

test_allow_owner_env if {
	zg.owner_env(_r) == "acme/prod"
	platform := tl.override(_r, {"tenant": null, "context": {"env": "dev", "region": "westeurope"}})
	zg.owner_env(platform) == "platform:westeurope/dev"
	no_id := {"tenant": {"env": "staging"}}
	zg.owner_env(no_id) == "/staging"
}
