# METADATA
# title: "Storage account uses infrastructure (double) encryption"
# description: "A second, independent encryption layer at the infrastructure level protects stored cardholder and audit data."
# custom:
#   id: ZG-ST-006
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set infrastructure_encryption_enabled = true (only at creation; constructs/immutable-archive.ts sets it)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_storage_account"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "infrastructure_encryption_enabled", "set": false}
#     - {"type": "azurerm_storage_account", "path": "infrastructure_encryption_enabled", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "infrastructure_encryption_enabled", "unknown": true}
package zonegate.rules.st.infrastructure_encryption

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "infrastructure_encryption_enabled", {true}, false, "Storage account infrastructure (double) encryption is not enabled") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
