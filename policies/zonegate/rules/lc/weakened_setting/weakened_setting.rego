# METADATA
# title: "A control that was compliant in prior state is not weakened"
# description: "An update that turns a protective setting from its compliant value in the current state to a weaker one — retention lowered, purge protection or a WORM lock off, public access on, TLS lowered, a flow log or data export disabled — is reported with the before and after values, even where the new value would pass on its own. Plan-only: compares change.before with change.after."
# custom:
#   id: ZG-LC-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.5.1", "3.6.1", "1.3.1", "4.2.1", "6.5.1"], "gdpr": ["32"], "sox": ["404"]}
#   enforcement: {"default": "mandatory", "dev": "advisory"}
#   remediation: "Keep the setting at least as strict as it is deployed; a deliberate relaxation needs a reviewed waiver for ZG-LC-002 on that resource (reason, approver, expiry)."
#   construct: constructs/log-analytics-workspace.ts
#   peers: {}
#   resource_types: ["azurerm_key_vault", "azurerm_log_analytics_workspace", "azurerm_log_analytics_workspace_table", "azurerm_storage_account", "azurerm_storage_container_immutability_policy", "azurerm_network_watcher_flow_log", "azurerm_log_analytics_data_export_rule", "azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_log_analytics_workspace", "set": {"@actions": ["update"], "@before": {"retention_in_days": 730}, "retention_in_days": 90}}
#     - {"type": "azurerm_key_vault", "set": {"@actions": ["update"], "@before": {"purge_protection_enabled": true}, "purge_protection_enabled": false}}
#     - {"type": "azurerm_storage_account", "set": {"@actions": ["update"], "@before": {"public_network_access_enabled": false}, "public_network_access_enabled": true}}
#     - {"type": "azurerm_storage_container_immutability_policy", "set": {"@actions": ["update"], "@before": {"immutability_period_in_days": 2557}, "immutability_period_in_days": 365}}
package zonegate.rules.lc.weakened_setting

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# Watched settings: the attribute names (every provider era) and how a change weakens them.
_watch := [
	{"type": "azurerm_key_vault", "names": ["purge_protection_enabled"], "kind": "stay_true"},
	{"type": "azurerm_key_vault", "names": ["public_network_access_enabled"], "kind": "stay_false"},
	{"type": "azurerm_key_vault", "names": ["soft_delete_retention_days"], "kind": "no_decrease"},
	{"type": "azurerm_log_analytics_workspace", "names": ["retention_in_days"], "kind": "no_decrease"},
	{"type": "azurerm_log_analytics_workspace", "names": ["internet_ingestion_enabled"], "kind": "stay_false"},
	{"type": "azurerm_log_analytics_workspace", "names": ["internet_query_enabled"], "kind": "stay_false"},
	{"type": "azurerm_log_analytics_workspace_table", "names": ["total_retention_in_days"], "kind": "no_decrease"},
	{"type": "azurerm_log_analytics_workspace_table", "names": ["retention_in_days"], "kind": "no_decrease"},
	{"type": "azurerm_storage_account", "names": ["public_network_access_enabled"], "kind": "stay_false"},
	{"type": "azurerm_storage_account", "names": ["allow_nested_items_to_be_public", "allow_blob_public_access"], "kind": "stay_false"},
	{"type": "azurerm_storage_account", "names": ["shared_access_key_enabled"], "kind": "stay_false"},
	{"type": "azurerm_storage_account", "names": ["https_traffic_only_enabled", "enable_https_traffic_only"], "kind": "stay_true"},
	{"type": "azurerm_storage_account", "names": ["infrastructure_encryption_enabled"], "kind": "stay_true"},
	{"type": "azurerm_storage_account", "names": ["min_tls_version"], "kind": "tls"},
	{"type": "azurerm_storage_container_immutability_policy", "names": ["immutability_period_in_days"], "kind": "no_decrease"},
	{"type": "azurerm_storage_container_immutability_policy", "names": ["locked"], "kind": "stay_true"},
	{"type": "azurerm_network_watcher_flow_log", "names": ["enabled"], "kind": "stay_true"},
	{"type": "azurerm_network_watcher_flow_log", "names": ["retention_policy.days"], "kind": "no_decrease"},
	{"type": "azurerm_log_analytics_data_export_rule", "names": ["enabled"], "kind": "stay_true"},
	{"type": "azurerm_kubernetes_cluster", "names": ["local_account_disabled"], "kind": "stay_true"},
	{"type": "azurerm_kubernetes_cluster", "names": ["private_cluster_enabled"], "kind": "stay_true"},
]

_tls := {"TLS1_0": 0, "TLS1_1": 1, "TLS1_2": 2, "TLS1_3": 3}

_weaker("stay_true", b, a) if {
	b == true
	a == false
}

_weaker("stay_false", b, a) if {
	b == false
	a == true
}

_weaker("no_decrease", b, a) if zg.num(a) < zg.num(b)

# _compliant("kind", b): the prior value is the protective one (numbers and TLS: any prior value).
_compliant("stay_true", true)

_compliant("stay_false", false)

_compliant("no_decrease", _)

_compliant("tls", _)

_weaker("tls", b, a) if _tls[a] < _tls[b]

# [index, resource, watched setting] of updated resources that carry prior state.
_updates := [[i, r, w] |
	some w in _watch
	some [i, r] in zg.resources(w.type)
	"update" in r.actions
	is_object(object.get(r, "before", null))
]

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, w] in _updates
	b := zg.attr({"values": r.before}, w.names)
	a := zg.attr(r, w.names)
	_weaker(w.kind, b, a)
	msg := sprintf("%s weakened: before %v (compliant, deployed) → after %v", [w.names[0], b, a])
}

deny contains zg.unknown_finding(meta.id, i, w.names[0]) if {
	some [i, r, w] in _updates
	b := zg.attr({"values": r.before}, w.names)
	_compliant(w.kind, b)
	zg.unknown(r, w.names)
}
