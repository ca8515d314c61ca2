# METADATA
# title: "Key Vault keys expire"
# description: "Cryptographic keys need a defined cryptoperiod (PCI DSS 3.6.4/3.7.4). expiration_date bounds the current key version; rotation_policy.expire_after only applies to versions created by rotation (Azure: the expiry time does not affect the current key). So every key needs expiration_date, and a key with a rotation_policy also needs expire_after, or its rotated versions never expire."
# custom:
#   id: ZG-KV-007
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Give every azurerm_key_vault_key an expiration_date, and rotation_policy { expire_after } when it has a rotation policy (constructs/customer-managed-keys.ts)."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": ["CKV_AZURE_40"], "trivy": ["AVD-AZU-0014"]}
#   resource_types: ["azurerm_key_vault_key"]
#   stricter_than_peers: "checkov CKV_AZURE_40 only looks at expiration_date; we also deny a key whose rotation_policy has no expire_after, because versions created by rotation then never expire."
#   mutations:
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.expire_after", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "expiration_date", "delete": true}
package zonegate.rules.kv_key_expiration

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_rotation_policy(r) if count(zg.blocks(r.values, "rotation_policy")) > 0

_rotation_policy(r) if zg.unknown(r, "rotation_policy")

deny contains zg.finding(meta.id, i, "Key Vault key has no expiration_date: the current key version never expires") if {
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	not zg.present(r, "expiration_date")
}

deny contains zg.finding(meta.id, i, "Key Vault key rotation_policy has no expire_after: rotated key versions never expire") if {
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	_rotation_policy(r)
	not zg.present(r, "rotation_policy.expire_after")
}
