# METADATA
# title: "Storage account accepts HTTPS only"
# description: "Plain HTTP exposes account keys, SAS tokens and data in transit."
# custom:
#   id: ZG-ST-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["4.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave https_traffic_only_enabled = true (azurerm v3: enable_https_traffic_only); storage constructs set it explicitly."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_3"], "trivy": ["AVD-AZU-0008"]}
#   resource_types: ["azurerm_storage_account"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "https_traffic_only_enabled", "set": false}
#     - {"type": "azurerm_storage_account", "path": "https_traffic_only_enabled", "unknown": true}
package zonegate.rules.st.https_only

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["https_traffic_only_enabled", "enable_https_traffic_only"], {true}, true, "Storage account accepts plain HTTP") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
