# METADATA
# title: "The subscription Activity Log is exported to Log Analytics"
# description: "The Activity Log is the audit trail of the control plane: who created, changed or deleted what, policy and security events (PCI DSS 10.2.1, 10.2.1.2, 10.2.1.5, 10.2.1.7, 10.2.2, 10.3.3). Each tenant × environment subscription (and each platform environment × region subscription) needs a diagnostic setting on the subscription itself that sends at least the Administrative, Security and Policy categories to a Log Analytics workspace; without it the workspace's AzureActivity table and its archive export have no source. Decided over the whole estate."
# custom:
#   id: ZG-MON-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.2.1.2", "10.2.1.5", "10.2.1.7", "10.2.2", "10.3.3"], "gdpr": ["30", "32"], "sox": ["404"]}
#   enforcement: mandatory
#   scope: estate
#   remediation: "Add constructs/subscription-activity-log.ts once per subscription (the first region's audit stack of each tenant × env; every platform stack)."
#   construct: constructs/subscription-activity-log.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_monitor_diagnostic_setting", "azurerm_subscription", "azurerm_resource_group"]
#   mutations:
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category": "Administrative"}, "path": "target_resource_id", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category": "Administrative"}, "path": "log_analytics_workspace_id", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category": "Administrative"}, "path": "enabled_log", "set": [{"category": "ServiceHealth"}]}
package zonegate.rules.mon.activity_log_export

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_required := {"administrative", "security", "policy"}

_subscription_keys contains r.key if {
	some [_, r] in zg.resources("azurerm_subscription")
}

_targets_subscription(s) if {
	ks := _subscription_keys
	some k in zg.refs_to(s, "target_resource_id")
	ks[k]
}

_targets_subscription(s) if regex.match(`^/subscriptions/[^/]+/?$`, lower(s.values.target_resource_id))

# categories a setting enables (azurerm v3/v4 enabled_log, the deprecated log block unless enabled = false);
# the allLogs category group stands for every category
_categories(s) := {lower(c) |
	some b in zg.blocks(s.values, "enabled_log")
	some c in _category(b)
} | {lower(c) |
	some b in zg.blocks(s.values, "log")
	object.get(b, "enabled", true) != false
	some c in _category(b)
}

_category(b) := [b.category] if is_string(b.category)

_category(b) := _required if lower(object.get(b, "category_group", "")) == "alllogs"

_exported contains zg.owner_env(s) if {
	some [_, s] in zg.resources("azurerm_monitor_diagnostic_setting")
	zg.managed(s)
	_targets_subscription(s)
	zg.present(s, "log_analytics_workspace_id")
	count(_required - _categories(s)) == 0
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_resource_group")
	zg.managed(r)
	ks := _exported
	not ks[zg.owner_env(r)]
	msg := sprintf("The Activity Log of this resource group's subscription (%s) is not sent to Log Analytics (Administrative, Security and Policy categories)", [zg.owner_env(r)])
}
