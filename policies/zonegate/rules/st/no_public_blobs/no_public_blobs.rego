# METADATA
# title: "Storage account forbids public blob access"
# description: "Anonymous blob access can expose audit archives and exports to the internet."
# custom:
#   id: ZG-ST-003
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.4.1", "7.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set allow_nested_items_to_be_public = false (azurerm v2: allow_blob_public_access = false)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_190"], "trivy": ["AVD-AZU-0007"]}
#   resource_types: ["azurerm_storage_account"]
#   stricter_than_peers: "An absent attribute is denied (azurerm v3+ defaults it to true), as checkov CKV_AZURE_190 does; for azurerm v2 plans the v2 default (false) is always materialised in the plan."
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "allow_nested_items_to_be_public", "set": true}
#     - {"type": "azurerm_storage_account", "path": "allow_nested_items_to_be_public", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "allow_nested_items_to_be_public", "unknown": true}
package zonegate.rules.st.no_public_blobs

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["allow_nested_items_to_be_public", "allow_blob_public_access"], {false}, null, "Storage account allows public (anonymous) blob access") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
