# METADATA
# title: "Key Vault soft-delete retention is at least 90 days"
# description: "Soft-deleted keys and secrets must stay recoverable for 90 days so an accidental or malicious deletion of a CMK can be undone."
# custom:
#   id: ZG-KV-002
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave soft_delete_retention_days at 90 (the provider default; constructs/key-vault.ts sets it explicitly)."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": ["CKV_AZURE_42"], "trivy": []}
#   resource_types: ["azurerm_key_vault"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "soft_delete_retention_days", "set": 7}
#     - {"type": "azurerm_key_vault", "path": "soft_delete_retention_days", "unknown": true}
package zonegate.rules.kv.soft_delete_retention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check_min(meta.id, i, r, "soft_delete_retention_days", 90, 90, "Key Vault soft-delete retention is below 90 days") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}
