# METADATA
# title: "Alert action groups are enabled and notify someone"
# description: "An alert that reaches a disabled action group, or one without receivers, tells nobody (PCI DSS 10.7.2, 12.10.3, 12.10.5): every azurerm_monitor_action_group must be enabled and have at least one receiver."
# custom:
#   id: ZG-MON-004
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["10.7.2", "12.10.3", "12.10.5"], "gdpr": ["33"], "sox": []}
#   enforcement: mandatory
#   remediation: "constructs/security-alerts.ts builds the action group from the tenant's contacts (security and operations e-mail)."
#   construct: constructs/security-alerts.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_monitor_action_group"]
#   mutations:
#     - {"type": "azurerm_monitor_action_group", "path": "enabled", "set": false}
#     - {"type": "azurerm_monitor_action_group", "path": "email_receiver", "delete": true}
#     - {"type": "azurerm_monitor_action_group", "path": "enabled", "unknown": true}
package zonegate.rules.mon.action_group_receivers

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_receiver_blocks := [
	"email_receiver", "sms_receiver", "webhook_receiver", "voice_receiver", "azure_app_push_receiver",
	"arm_role_receiver", "logic_app_receiver", "azure_function_receiver", "automation_runbook_receiver",
	"event_hub_receiver", "itsm_receiver",
]

_groups := [[i, g] |
	some [i, g] in zg.resources("azurerm_monitor_action_group")
	zg.managed(g)
]

deny contains zg.check(meta.id, i, g, "enabled", {true}, true, "Action group is disabled") if {
	some [i, g] in _groups
}

deny contains zg.finding(meta.id, i, "Action group has no receiver") if {
	some [i, g] in _groups
	count([b | some n in _receiver_blocks; some b in zg.blocks(g.values, n)]) == 0
	not _unknown_receivers(g)
}

_unknown_receivers(g) if zg.unknown(g, _receiver_blocks)

deny contains zg.unknown_finding(meta.id, i, "email_receiver") if {
	some [i, g] in _groups
	count([b | some n in _receiver_blocks; some b in zg.blocks(g.values, n)]) == 0
	_unknown_receivers(g)
}
