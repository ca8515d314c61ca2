# METADATA
# title: "Key Vault public network access is disabled"
# description: "The vault holds the CMKs for cardholder data; it must only be reachable through its private endpoint."
# custom:
#   id: ZG-KV-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set public_network_access_enabled = false (constructs/key-vault.ts) and reach the vault through constructs/private-endpoint.ts."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": ["CKV_AZURE_189"], "trivy": []}
#   resource_types: ["azurerm_key_vault"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "public_network_access_enabled", "set": true}
#     - {"type": "azurerm_key_vault", "path": "public_network_access_enabled", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "public_network_access_enabled", "unknown": true}
package zonegate.rules.kv.public_network_access

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "public_network_access_enabled", {false}, true, "Key Vault public network access is enabled") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}
