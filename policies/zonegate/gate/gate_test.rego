package zonegate.gate_test

import data.zonegate.gate
import data.zonegate.testlib as tl
import rego.v1

_bad_kv := tl.res("azurerm_key_vault", "kv", {"purge_protection_enabled": false})

_vnet := tl.res("azurerm_virtual_network", "v", {})

test_deny_findings_carry_rule_ids if {
	fs := gate.findings with input as tl.mk([_bad_kv])
	some f in fs
	f.rule == "ZG-KV-001"
	f.resource == 0
}

test_deny_estate_rule_runs_when_complete if {
	fs := gate.findings with input as tl.mk([_vnet])
	some f in fs
	f.rule == "ZG-NET-003"
	count(gate.unevaluated) == 0 with input as tl.mk([_vnet])
}

test_allow_estate_rule_skipped_when_partial if {
	fs := gate.findings with input as tl.partial([_vnet])
	every f in fs {
		f.rule != "ZG-NET-003"
	}
	res := gate.result with input as tl.partial([_vnet])
	"ZG-NET-003" in res.not_evaluated
}

test_allow_rules_catalogue if {
	gate.rules["kv.purge_protection"] == {"id": "ZG-KV-001", "scope": "resource"}
	gate.rules["net.vnet_flow_log"].scope == "estate"
}
