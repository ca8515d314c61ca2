# METADATA
# title: "Log Analytics local (shared key) authentication is disabled"
# description: "Workspace shared keys allow anonymous ingestion and query; audit log access must go through Entra ID."
# custom:
#   id: ZG-LOG-003
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["8.3.1", "10.3.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set local_authentication_enabled = false (azurerm v3/v4: local_authentication_disabled = true) (constructs/log-analytics-workspace.ts)."
#   construct: constructs/log-analytics-workspace.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_log_analytics_workspace"]
#   mutations:
#     - {"type": "azurerm_log_analytics_workspace", "path": "local_authentication_enabled", "set": true}
#     - {"type": "azurerm_log_analytics_workspace", "path": "local_authentication_enabled", "delete": true}
#     - {"type": "azurerm_log_analytics_workspace", "path": "local_authentication_enabled", "unknown": true}
package zonegate.rules.log.local_auth

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_names := ["local_authentication_enabled", "local_authentication_disabled"]

_enabled(r) if zg.attr(r, "local_authentication_enabled") == true

_enabled(r) if zg.attr(r, "local_authentication_disabled") == false

_disabled(r) if zg.attr(r, "local_authentication_enabled") == false

_disabled(r) if zg.attr(r, "local_authentication_disabled") == true

deny contains zg.finding(meta.id, i, "Log Analytics local authentication is enabled") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	_enabled(r)
}

deny contains zg.finding(meta.id, i, "Log Analytics local authentication is not disabled (the provider default enables it)") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	not _enabled(r)
	not _disabled(r)
	not zg.unknown(r, _names)
}

deny contains zg.unknown_finding(meta.id, i, "local_authentication_enabled") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
	not _enabled(r)
	not _disabled(r)
	zg.unknown(r, _names)
}
