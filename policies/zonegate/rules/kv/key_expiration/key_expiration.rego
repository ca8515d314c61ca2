# METADATA
# title: "Key Vault keys expire"
# description: "Cryptographic keys need a defined cryptoperiod (PCI DSS 3.6.4/3.7.4). expiration_date bounds the current key version; rotation_policy.expire_after only applies to versions created by rotation (Azure: the expiry time does not affect the current key). So every key needs expiration_date, and a key with a rotation_policy also needs expire_after, or its rotated versions never expire. Both are compared with the maximum cryptoperiod (365 days): expiration_date as days from plan time (a date, or timeadd(plantimestamp(), …) in synth output), expire_after as an ISO 8601 duration. A date or duration that is not one, or is known only after apply, is a finding."
# custom:
#   id: ZG-KV-007
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "3.7.4"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Give every azurerm_key_vault_key an expiration_date, and rotation_policy { expire_after } when it has a rotation policy (constructs/customer-managed-keys.ts)."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": ["CKV_AZURE_40"], "trivy": ["AVD-AZU-0014"]}
#   resource_types: ["azurerm_key_vault_key"]
#   stricter_than_peers: "checkov CKV_AZURE_40 only checks that expiration_date is set; we also bound it (at most 365 days from plan time) and deny a key whose rotation_policy has no expire_after or one longer than 365 days, because versions created by rotation then never expire or outlive the cryptoperiod."
#   mutations:
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.expire_after", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "expiration_date", "delete": true}
#     - {"type": "azurerm_key_vault_key", "path": "expiration_date", "set": "2036-01-01T00:00:00Z"}
#     - {"type": "azurerm_key_vault_key", "path": "expiration_date", "set": "next year"}
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.expire_after", "set": "P5Y"}
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.expire_after", "unknown": true}
package zonegate.rules.kv.key_expiration

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The maximum cryptoperiod in days (constructs/customer-managed-keys.ts accepts lifetimes of 90-365 days).
max_days := 365

_keys := [[i, r, k] |
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	k := r.effective.key
]

deny contains zg.finding(meta.id, i, "Key Vault key has no expiration_date: the current key version never expires") if {
	some [i, _, k] in _keys
	k.expiration.state == "absent"
}

deny contains zg.finding(meta.id, i, "Key Vault key expiration_date is not a date") if {
	some [i, _, k] in _keys
	k.expiration.state == "invalid"
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, _, k] in _keys
	k.expiration.days > max_days
	msg := sprintf("Key Vault key expires %d days after plan time, beyond the %d-day maximum cryptoperiod", [round(k.expiration.days), max_days])
}

deny contains zg.unknown_finding(meta.id, i, "expiration_date") if {
	some [i, _, k] in _keys
	k.expiration.state == "unknown"
}

deny contains zg.finding(meta.id, i, "Key Vault key rotation_policy has no expire_after: rotated key versions never expire") if {
	some [i, _, k] in _keys
	k.rotation_policy
	k.expire_after.state == "absent"
}

deny contains zg.finding(meta.id, i, "Key Vault key rotation_policy.expire_after is not an ISO 8601 duration") if {
	some [i, _, k] in _keys
	k.expire_after.state == "invalid"
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, _, k] in _keys
	k.expire_after.days > max_days
	msg := sprintf("Key Vault key rotation_policy.expire_after is %d days, beyond the %d-day maximum cryptoperiod", [round(k.expire_after.days), max_days])
}

deny contains zg.unknown_finding(meta.id, i, "rotation_policy.expire_after") if {
	some [i, _, k] in _keys
	k.expire_after.state == "unknown"
}
