# METADATA
# title: "Flow logs are enabled and kept at least 90 days"
# description: "Flow logs must be enabled with a retention policy of at least 90 days (0 = keep forever) so traffic history is available for investigation."
# custom:
#   id: ZG-NET-004
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.5.1"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Set enabled = true and retention_policy { enabled = true, days = 90 or more } (constructs/vnet-flow-logs.ts)."
#   construct: constructs/vnet-flow-logs.ts
#   peers: {"checkov": ["CKV_AZURE_12"], "trivy": ["AVD-AZU-0049"]}
#   resource_types: ["azurerm_network_watcher_flow_log"]
#   mutations:
#     - {"type": "azurerm_network_watcher_flow_log", "path": "retention_policy.days", "set": 30}
#     - {"type": "azurerm_network_watcher_flow_log", "path": "retention_policy.days", "unknown": true}
#     - {"type": "azurerm_network_watcher_flow_log", "path": "retention_policy.enabled", "set": false}
#     - {"type": "azurerm_network_watcher_flow_log", "path": "retention_policy", "delete": true}
#     - {"type": "azurerm_network_watcher_flow_log", "path": "enabled", "set": false}
package zonegate.rules.net.flow_log_retention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "enabled", {true}, true, "Flow log is disabled") if {
	some [i, r] in zg.resources("azurerm_network_watcher_flow_log")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, "retention_policy.enabled", {true}, null, "Flow log retention policy is missing or disabled") if {
	some [i, r] in zg.resources("azurerm_network_watcher_flow_log")
	zg.managed(r)
}

_days_ok(d) if zg.num(d) >= 90

_days_ok(d) if zg.num(d) == 0

deny contains zg.finding(meta.id, i, "Flow log retention is below 90 days") if {
	some [i, r] in zg.resources("azurerm_network_watcher_flow_log")
	zg.managed(r)
	zg.attr(r, "retention_policy.enabled") == true
	not zg.unknown(r, "retention_policy.days")
	not _days_ok(zg.value(r, "retention_policy.days", null))
}

deny contains zg.unknown_finding(meta.id, i, "retention_policy.days") if {
	some [i, r] in zg.resources("azurerm_network_watcher_flow_log")
	zg.managed(r)
	zg.unknown(r, "retention_policy.days")
}
