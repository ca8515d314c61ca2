# METADATA
# title: "Every VNet has a flow log"
# description: "Network flow logs are the audit trail of traffic into and out of the cardholder-data environment (PCI DSS 10.2.1). Flow logs live in the audit stack, so this is decided over the whole estate only."
# custom:
#   id: ZG-NET-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.2.2"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   scope: estate
#   remediation: "Add constructs/vnet-flow-logs.ts for the VNet in the tenant's audit stack."
#   construct: constructs/vnet-flow-logs.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_virtual_network", "azurerm_network_watcher_flow_log"]
#   mutations:
#     - {"type": "azurerm_network_watcher_flow_log", "path": "target_resource_id", "delete": true}
package zonegate.rules.net.vnet_flow_log

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_logged_keys contains k if {
	some [_, fl] in zg.resources("azurerm_network_watcher_flow_log")
	some k in zg.refs_to(fl, "target_resource_id")
}

_logged_ids contains lower(fl.values.target_resource_id) if {
	some [_, fl] in zg.resources("azurerm_network_watcher_flow_log")
	is_string(fl.values.target_resource_id)
}

_logged(r) if {
	ks := _logged_keys
	ks[r.key]
}

_logged(r) if {
	ks := _logged_ids
	ks[lower(r.values.id)]
}

deny contains zg.finding(meta.id, i, "Virtual network has no flow log") if {
	some [i, r] in zg.resources("azurerm_virtual_network")
	zg.managed(r)
	not _logged(r)
}
