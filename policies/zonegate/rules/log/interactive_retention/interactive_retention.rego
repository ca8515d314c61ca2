# METADATA
# title: "Log Analytics keeps 90 days of interactive retention"
# description: "PCI DSS 10.5.1 requires the last three months of audit logs to be immediately available for analysis."
# custom:
#   id: ZG-LOG-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.5.1"], "gdpr": [], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Set retention_in_days >= 90 (constructs/log-analytics-workspace.ts derives it from the tenant's frameworks)."
#   construct: constructs/log-analytics-workspace.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_log_analytics_workspace"]
#   mutations:
#     - {"type": "azurerm_log_analytics_workspace", "path": "retention_in_days", "set": 30}
#     - {"type": "azurerm_log_analytics_workspace", "path": "retention_in_days", "delete": true}
#     - {"type": "azurerm_log_analytics_workspace", "path": "retention_in_days", "unknown": true}
package zonegate.rules.log.interactive_retention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check_min(meta.id, i, r, "retention_in_days", 90, 30, "Log Analytics interactive retention is below 90 days") if {
	some [i, r] in zg.resources("azurerm_log_analytics_workspace")
	zg.managed(r)
}
