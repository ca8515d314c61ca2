# METADATA
# title: "CMKs of premium and enterprise tenants are HSM-backed"
# description: "Premium and enterprise tenants are contracted for HSM-protected customer-managed keys (FIPS 140-2 Level 2+)."
# custom:
#   id: ZG-KV-009
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use key_type RSA-HSM or EC-HSM on a premium vault (constructs/customer-managed-keys.ts chooses it from the tenant tier)."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": ["CKV_AZURE_112"], "trivy": []}
#   resource_types: ["azurerm_key_vault_key"]
#   mutations:
#     - {"type": "azurerm_key_vault_key", "path": "key_type", "set": "RSA"}
#     - {"type": "azurerm_key_vault_key", "path": "key_type", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "key_type", "unknown": true}
package zonegate.rules.kv.key_hsm

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "key_type", {"RSA-HSM", "EC-HSM"}, null, "Key Vault key is not HSM-backed (key_type RSA-HSM or EC-HSM) for a premium/enterprise tenant") if {
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	r.tenant.tier in {"premium", "enterprise"}
}
