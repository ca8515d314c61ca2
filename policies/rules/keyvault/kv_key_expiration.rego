# METADATA
# title: "Key Vault keys expire"
# description: "Cryptographic keys need a defined cryptoperiod (PCI DSS 3.6.4/3.7.4); a key without expiration_date or rotation_policy.expire_after lives forever."
# custom:
#   id: ZG-KV-007
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Give every azurerm_key_vault_key an expiration_date or rotation_policy { expire_after } (constructs/customer-managed-keys.ts)."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": ["CKV_AZURE_40"], "trivy": ["AVD-AZU-0014"]}
#   resource_types: ["azurerm_key_vault_key"]
#   stricter_than_peers: "checkov CKV_AZURE_40 only looks at expiration_date; we accept rotation_policy.expire_after as the rolling equivalent, so this is not stricter but broader."
#   mutations:
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.expire_after", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "expiration_date", "delete": true}
package zonegate.rules.kv_key_expiration

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, "Key Vault key has neither expiration_date nor rotation_policy.expire_after") if {
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	not zg.present(r, ["expiration_date", "rotation_policy.expire_after"])
}
