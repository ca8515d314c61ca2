# METADATA
# title: "Storage account disables shared key authorization"
# description: "Account keys are shared secrets outside Entra ID and RBAC; every access must be attributable to an identity."
# custom:
#   id: ZG-ST-005
#   severity: high
#   frameworks: {"pci-dss-4.0": ["7.2.1", "8.3.1", "8.6.3"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set shared_access_key_enabled = false and use Entra ID (storage_use_azuread in the provider block)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV2_AZURE_40"], "trivy": []}
#   resource_types: ["azurerm_storage_account"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "shared_access_key_enabled", "set": true}
#     - {"type": "azurerm_storage_account", "path": "shared_access_key_enabled", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "shared_access_key_enabled", "unknown": true}
package zonegate.rules.st.shared_key_disabled

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "shared_access_key_enabled", {false}, true, "Storage account allows shared key authorization") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
