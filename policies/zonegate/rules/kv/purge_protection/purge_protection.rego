# METADATA
# title: "Key Vault has purge protection enabled"
# description: "Without purge protection a deleted vault and its keys can be purged at once, destroying the customer-managed keys that protect cardholder and personal data."
# custom:
#   id: ZG-KV-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set purge_protection_enabled = true; constructs/key-vault.ts sets it and does not expose an override."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": ["CKV_AZURE_110"], "trivy": ["AVD-AZU-0016"]}
#   resource_types: ["azurerm_key_vault"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "purge_protection_enabled", "set": false}
#     - {"type": "azurerm_key_vault", "path": "purge_protection_enabled", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "purge_protection_enabled", "unknown": true}
package zonegate.rules.kv.purge_protection

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "purge_protection_enabled", {true}, false, "Key Vault purge protection is not enabled") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}
