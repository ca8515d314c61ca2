# METADATA
# title: "API Management additional locations stay in the residency zone"
# description: "A multi-region APIM deploys gateways (and caches request data) in every additional_location; each must be in the tenant's zone."
# custom:
#   id: ZG-RES-003
#   severity: critical
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46"], "sox": []}
#   enforcement: mandatory
#   remediation: "Only add additional_location blocks for regions of the tenant's zone (constructs/api-management.ts takes them from the tenant's regions)."
#   construct: constructs/api-management.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   mutations:
#     - {"type": "azurerm_api_management", "path": "additional_location.0.location", "set": "eastus"}
#     - {"type": "azurerm_api_management", "path": "additional_location.0.location", "unknown": true}
package zonegate.rules.res.apim_additional_locations

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	some b in zg.blocks(r.values, "additional_location")
	is_string(b.location)
	not zg.in_zone(b.location, r.tenant.residency)
	msg := sprintf("API Management additional location %s is outside residency zone %s", [b.location, r.tenant.residency])
}

deny contains zg.unknown_finding(meta.id, i, "additional_location.location") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	zg.unknown(r, "additional_location.location")
}
