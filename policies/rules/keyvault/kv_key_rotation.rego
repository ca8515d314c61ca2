# METADATA
# title: "Key Vault keys rotate automatically"
# description: "Customer-managed keys must rotate on a schedule without human action (rotation_policy.automatic)."
# custom:
#   id: ZG-KV-008
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set rotation_policy { automatic { time_before_expiry = \"P30D\" } expire_after = \"P1Y\" } (constructs/customer-managed-keys.ts)."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_key_vault_key"]
#   stricter_than_peers: "No checkov check covers key rotation (CKV_AZURE_40 checks expiration only, see ZG-KV-007)."
#   mutations:
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.automatic", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy", "delete": true}
package zonegate.rules.kv_key_rotation

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_names := ["rotation_policy.automatic.time_before_expiry", "rotation_policy.automatic.time_after_creation"]

deny contains zg.finding(meta.id, i, "Key Vault key has no automatic rotation policy") if {
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	not zg.present(r, _names)
}
