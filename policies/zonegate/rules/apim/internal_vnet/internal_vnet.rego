# METADATA
# title: "API Management runs in Internal VNet mode"
# description: "The gateway must sit inside the tenant VNet behind the edge, not expose its own public endpoint."
# custom:
#   id: ZG-APIM-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set virtual_network_type = \"Internal\" with virtual_network_configuration { subnet_id } (constructs/api-management.ts). public_network_access_enabled cannot be false at creation, so Internal mode is the control."
#   construct: constructs/api-management.ts
#   peers: {"checkov": ["CKV_AZURE_107"], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   stricter_than_peers: "checkov CKV_AZURE_107 accepts External VNet mode; we require Internal."
#   mutations:
#     - {"type": "azurerm_api_management", "path": "virtual_network_type", "set": "External"}
#     - {"type": "azurerm_api_management", "path": "virtual_network_type", "delete": true}
#     - {"type": "azurerm_api_management", "path": "virtual_network_type", "unknown": true}
package zonegate.rules.apim.internal_vnet

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "virtual_network_type", {"Internal"}, null, "API Management is not deployed in Internal VNet mode") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
}
