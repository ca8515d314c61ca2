# METADATA
# title: "Key Vault uses Azure RBAC authorization"
# description: "Vault access policies are per-vault and invisible to access reviews; Azure RBAC puts data-plane access under the tenant's role assignments and PIM."
# custom:
#   id: ZG-KV-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["7.2.1", "7.2.2", "8.2.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set rbac_authorization_enabled = true (azurerm v3: enable_rbac_authorization) in constructs/key-vault.ts; grant access with role assignments."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_key_vault"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "set": false}
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "unknown": true}
package zonegate.rules.kv_rbac_authorization

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["rbac_authorization_enabled", "enable_rbac_authorization"], {true}, false, "Key Vault uses access policies instead of Azure RBAC authorization") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}
