# METADATA
# title: "API Management has a managed identity"
# description: "APIM reads its TLS certificates and named values from Key Vault with a managed identity instead of stored secrets."
# custom:
#   id: ZG-APIM-002
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["8.3.2", "8.6.3"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Set identity { type = \"SystemAssigned\" } (constructs/api-management.ts)."
#   construct: constructs/api-management.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   mutations:
#     - {"type": "azurerm_api_management", "path": "identity", "delete": true}
#     - {"type": "azurerm_api_management", "path": "identity", "unknown": true}
package zonegate.rules.apim.identity

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, "API Management has no managed identity") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	count(zg.blocks(r.values, "identity")) == 0
	not zg.unknown(r, "identity")
}

deny contains zg.unknown_finding(meta.id, i, "identity") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	zg.unknown(r, "identity")
}
