# METADATA
# title: "Security-relevant control-plane changes raise alerts"
# description: "Changes to policy and role assignments, Key Vaults, NSGs and NSG rules, and deletions of locks are the changes an attacker or a mistake makes to weaken the cardholder-data environment; they must alert someone in near real time (PCI DSS 10.4.1, 10.4.1.1, 10.7.2, 11.5.2, 7.2.5, 1.2.2). Each tenant × environment subscription (and each platform environment × region subscription) needs an enabled Activity Log alert with an action group, scoped to the subscription, for every operation in the list. Decided over the whole estate."
# custom:
#   id: ZG-MON-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.4.1", "10.4.1.1", "10.7.2", "11.5.2", "7.2.5", "1.2.2"], "gdpr": ["32", "33"], "sox": ["404"]}
#   enforcement: mandatory
#   scope: estate
#   remediation: "constructs/security-alerts.ts with subscriptionResourceId (the first region's audit stack) creates one alert per operation of SECURITY_OPERATIONS, sent to the tenant's action group."
#   construct: constructs/security-alerts.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_monitor_activity_log_alert", "azurerm_resource_group"]
#   mutations:
#     - {"type": "azurerm_monitor_activity_log_alert", "where": {"values.criteria.operation_name": "Microsoft.Authorization/roleAssignments/write"}, "path": "enabled", "set": false}
#     - {"type": "azurerm_monitor_activity_log_alert", "where": {"values.criteria.operation_name": "Microsoft.Authorization/locks/delete"}, "path": "action", "delete": true}
#     - {"type": "azurerm_monitor_activity_log_alert", "where": {"values.criteria.operation_name": "Microsoft.Network/networkSecurityGroups/securityRules/write"}, "path": "criteria.operation_name", "set": "Microsoft.Storage/storageAccounts/write"}
#     - {"type": "azurerm_monitor_activity_log_alert", "where": {"values.criteria.operation_name": "Microsoft.KeyVault/vaults/write"}, "path": "scopes", "set": []}
#     - {"type": "azurerm_monitor_activity_log_alert", "where": {"values.criteria.operation_name": "Microsoft.Authorization/policyAssignments/write"}, "path": "enabled", "unknown": true}
package zonegate.rules.mon.activity_log_alerts

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# the operations of constructs/security-alerts.ts SECURITY_OPERATIONS
_operations := [
	"microsoft.authorization/policyassignments/write",
	"microsoft.authorization/policyassignments/delete",
	"microsoft.authorization/roleassignments/write",
	"microsoft.authorization/roleassignments/delete",
	"microsoft.authorization/locks/delete",
	"microsoft.keyvault/vaults/write",
	"microsoft.keyvault/vaults/delete",
	"microsoft.network/networksecuritygroups/write",
	"microsoft.network/networksecuritygroups/delete",
	"microsoft.network/networksecuritygroups/securityrules/write",
	"microsoft.network/networksecuritygroups/securityrules/delete",
]

# enabled is optional and defaults to true in the provider; unknown is not enabled (cannot be verified)
_enabled(a) if a.values.enabled == true

_enabled(a) if zg.absent(a, "enabled")

_has_action(a) if zg.present(a, "action.action_group_id")

_scoped(a) if zg.referenced(a, "scopes")

_scoped(a) if zg.unknown(a, "scopes.0")

_scoped(a) if {
	some s in a.values.scopes
	is_string(s)
}

_alerted contains concat("|", [zg.owner_env(a), lower(c.operation_name)]) if {
	some [_, a] in zg.resources("azurerm_monitor_activity_log_alert")
	zg.managed(a)
	_enabled(a)
	_has_action(a)
	_scoped(a)
	c := zg.block(a.values, "criteria")
	is_string(c.operation_name)
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_resource_group")
	zg.managed(r)
	ks := _alerted
	missing := [op | some op in _operations; not ks[concat("|", [zg.owner_env(r), op])]]
	count(missing) > 0
	msg := sprintf("No enabled Activity Log alert with an action group in this subscription (%s) for: %s", [zg.owner_env(r), concat(", ", missing)])
}
