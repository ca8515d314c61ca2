# METADATA
# title: "Diagnostic logs go to the tenant workspace"
# description: "Every diagnostics-capable resource must send its resource logs to Log Analytics (PCI DSS 10.2.1 audit logs for all system components)."
# custom:
#   id: ZG-LOG-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.2.2", "10.3.3"], "gdpr": ["30", "32"], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Add constructs/diagnostic-settings.ts for the resource in the same stack (all log categories to the tenant workspace)."
#   construct: constructs/diagnostic-settings.ts
#   peers: {"checkov": ["CKV_AZURE_65", "CKV2_AZURE_8", "CKV_AZURE_81"], "trivy": []}
#   resource_types: ["azurerm_key_vault", "azurerm_storage_account", "azurerm_network_security_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_api_management", "azurerm_log_analytics_workspace", "azurerm_public_ip", "azurerm_application_gateway", "azurerm_firewall", "azurerm_recovery_services_vault", "azurerm_container_registry", "azurerm_mssql_database", "azurerm_postgresql_flexible_server", "azurerm_eventhub_namespace", "azurerm_servicebus_namespace", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_frontdoor_firewall_policy", "azurerm_cdn_frontdoor_profile", "azurerm_bastion_host", "azurerm_lb", "azurerm_monitor_diagnostic_setting"]
#   mutations:
#     - {"type": "azurerm_monitor_diagnostic_setting", "path": "log_analytics_workspace_id", "delete": true}
#     - {"type": "azurerm_monitor_diagnostic_setting", "path": "target_resource_id", "delete": true}
package zonegate.rules.diagnostic_settings

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_capable := {"azurerm_key_vault", "azurerm_storage_account", "azurerm_network_security_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_api_management", "azurerm_log_analytics_workspace", "azurerm_public_ip", "azurerm_application_gateway", "azurerm_firewall", "azurerm_recovery_services_vault", "azurerm_container_registry", "azurerm_mssql_database", "azurerm_postgresql_flexible_server", "azurerm_eventhub_namespace", "azurerm_servicebus_namespace", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_frontdoor_firewall_policy", "azurerm_cdn_frontdoor_profile", "azurerm_bastion_host", "azurerm_lb"}

_settings := [s |
	some [_, s] in zg.resources("azurerm_monitor_diagnostic_setting")
	zg.present(s, "log_analytics_workspace_id")
]

_target_keys contains k if {
	some s in _settings
	some k in zg.refs_to(s, "target_resource_id")
}

_target_ids contains lower(s.values.target_resource_id) if {
	some s in _settings
	is_string(s.values.target_resource_id)
}

_covered(r) if r.key in _target_keys

_covered(r) if lower(r.values.id) in _target_ids

deny contains zg.finding(meta.id, i, "No diagnostic setting sends this resource's logs to a Log Analytics workspace") if {
	some t in _capable
	some [i, r] in zg.resources(t)
	zg.managed(r)
	not _covered(r)
}
