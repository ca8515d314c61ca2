# METADATA
# title: "Storage account is encrypted with a customer-managed key"
# description: "Stored account data must be encrypted with a tenant-controlled key so it can be rotated and crypto-shredded. Judged on the account's effective configuration: the inline customer_managed_key block or a separate azurerm_storage_account_customer_managed_key naming the account (by reference or id) with a key id."
# custom:
#   id: ZG-ST-007
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.5.1", "3.6.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Add customer_managed_key { key_vault_key_id, user_assigned_identity_id } or an azurerm_storage_account_customer_managed_key; constructs/immutable-archive.ts sets it with a key from constructs/customer-managed-keys.ts."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV2_AZURE_1"], "trivy": []}
#   resource_types: ["azurerm_storage_account", "azurerm_storage_account_customer_managed_key"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "customer_managed_key", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "customer_managed_key.key_vault_key_id", "delete": true}
package zonegate.rules.st.customer_managed_key

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# effective.customer_managed_key is set by lib/gate/effective/storage-account.ts when a key is configured.
deny contains zg.finding(meta.id, i, "Storage account is not encrypted with a customer-managed key") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
	not r.effective.customer_managed_key
}
