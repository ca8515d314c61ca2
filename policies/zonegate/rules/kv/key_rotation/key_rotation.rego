# METADATA
# title: "Key Vault keys rotate automatically"
# description: "Customer-managed keys must rotate on a schedule without human action (rotation_policy.automatic), at least once per maximum cryptoperiod (365 days): time_after_creation at most 365 days, and time_before_expiry shorter than expire_after (otherwise the rotation is due before the version exists). Durations are compared as ISO 8601 values; one that is not a duration or is known only after apply is a finding."
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
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.automatic.time_after_creation", "set": "P5Y"}
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.automatic.time_before_expiry", "set": "P2Y"}
#     - {"type": "azurerm_key_vault_key", "path": "rotation_policy.automatic.time_before_expiry", "set": "30 days"}
package zonegate.rules.kv.key_rotation

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The maximum time between rotations in days.
max_days := 365

_keys := [[i, k] |
	some [i, r] in zg.resources("azurerm_key_vault_key")
	zg.managed(r)
	k := r.effective.key
]

_set(d) if d.state != "absent"

deny contains zg.finding(meta.id, i, "Key Vault key has no automatic rotation policy") if {
	some [i, k] in _keys
	not _set(k.time_before_expiry)
	not _set(k.time_after_creation)
}

deny contains zg.finding(meta.id, i, concat("", ["Key Vault key rotation_policy.automatic.", name, " is not an ISO 8601 duration"])) if {
	some [i, k] in _keys
	some name in ["time_before_expiry", "time_after_creation"]
	k[name].state == "invalid"
}

deny contains zg.unknown_finding(meta.id, i, concat("", ["rotation_policy.automatic.", name])) if {
	some [i, k] in _keys
	some name in ["time_before_expiry", "time_after_creation"]
	k[name].state == "unknown"
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, k] in _keys
	k.time_after_creation.days > max_days
	msg := sprintf("Key Vault key rotates %d days after creation, beyond the %d-day maximum", [round(k.time_after_creation.days), max_days])
}

deny contains zg.finding(meta.id, i, "Key Vault key rotation_policy.automatic.time_before_expiry is not shorter than expire_after: the rotation is never scheduled inside the key's lifetime") if {
	some [i, k] in _keys
	k.time_before_expiry.days >= k.expire_after.days
}
