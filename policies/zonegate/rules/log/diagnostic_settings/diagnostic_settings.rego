# METADATA
# title: "Diagnostic logs go to the tenant workspace"
# description: "Every diagnostics-capable resource must send its resource logs to Log Analytics (PCI DSS 10.2.1 audit logs for all system components): a diagnostic setting that targets the resource, names a workspace and enables at least one log category (a metrics-only setting sends no audit log). A storage account has no log categories of its own; its logs come from its blob/queue/table/file services, so a setting with logs on one of those covers it."
# custom:
#   id: ZG-LOG-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.2.2", "10.3.3"], "gdpr": ["30", "32"], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Add constructs/diagnostic-settings.ts for the resource in the same stack (all log categories to the tenant workspace; for a storage account, on its blob service)."
#   construct: constructs/diagnostic-settings.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_key_vault", "azurerm_storage_account", "azurerm_network_security_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_api_management", "azurerm_log_analytics_workspace", "azurerm_public_ip", "azurerm_application_gateway", "azurerm_firewall", "azurerm_recovery_services_vault", "azurerm_container_registry", "azurerm_mssql_database", "azurerm_postgresql_flexible_server", "azurerm_eventhub_namespace", "azurerm_servicebus_namespace", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_frontdoor_firewall_policy", "azurerm_cdn_frontdoor_profile", "azurerm_bastion_host", "azurerm_lb", "azurerm_monitor_diagnostic_setting"]
#   mutations:
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category_group": "allLogs"}, "path": "log_analytics_workspace_id", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category_group": "allLogs"}, "path": "target_resource_id", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category_group": "allLogs"}, "path": "enabled_log", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "where": {"values.enabled_log.0.category_group": "allLogs"}, "path": "enabled_log", "set": []}
package zonegate.rules.log.diagnostic_settings

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_capable := {"azurerm_key_vault", "azurerm_storage_account", "azurerm_network_security_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_api_management", "azurerm_log_analytics_workspace", "azurerm_public_ip", "azurerm_application_gateway", "azurerm_firewall", "azurerm_recovery_services_vault", "azurerm_container_registry", "azurerm_mssql_database", "azurerm_postgresql_flexible_server", "azurerm_eventhub_namespace", "azurerm_servicebus_namespace", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_frontdoor_firewall_policy", "azurerm_cdn_frontdoor_profile", "azurerm_bastion_host", "azurerm_lb"}

_settings := [s |
	some [_, s] in zg.resources("azurerm_monitor_diagnostic_setting")
	zg.present(s, "log_analytics_workspace_id")
	_sends_logs(s)
]

# _sends_logs(s): the setting enables at least one log category or category group (azurerm v3/v4
# `enabled_log`, the deprecated `log` block unless enabled = false).
_sends_logs(s) if {
	some b in zg.blocks(s.values, "enabled_log")
	_names_category(b)
}

_sends_logs(s) if {
	some b in zg.blocks(s.values, "log")
	object.get(b, "enabled", true) != false
	_names_category(b)
}

_names_category(b) if object.get(b, "category", null) != null

_names_category(b) if object.get(b, "category_group", null) != null

_target_keys contains k if {
	some s in _settings
	some k in zg.refs_to(s, "target_resource_id")
}

_target_ids contains lower(s.values.target_resource_id) if {
	some s in _settings
	is_string(s.values.target_resource_id)
}

# Storage account logs are emitted by its services (the account itself has none).
_storage_services := ["blobservices", "queueservices", "tableservices", "fileservices"]

_covered(r) if {
	ks := _target_keys
	ks[r.key]
}

_covered(r) if {
	ks := _target_ids
	ks[lower(r.values.id)]
}

_covered(r) if {
	r.type == "azurerm_storage_account"
	is_string(r.values.id)
	some svc in _storage_services
	all_target_ids := _target_ids
	all_target_ids[concat("", [lower(r.values.id), "/", svc, "/default"])]
}

deny contains zg.finding(meta.id, i, "No diagnostic setting sends this resource's logs to a Log Analytics workspace") if {
	some t in _capable
	some [i, r] in zg.resources(t)
	zg.managed(r)
	not _covered(r)
}
