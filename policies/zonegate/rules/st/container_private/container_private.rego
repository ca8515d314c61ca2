# METADATA
# title: "Storage containers are private"
# description: "A blob or container access type lets anyone on the internet read the container."
# custom:
#   id: ZG-ST-004
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.4.1", "7.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave container_access_type = \"private\" (constructs/immutable-archive.ts)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_34"], "trivy": ["AVD-AZU-0007"]}
#   resource_types: ["azurerm_storage_container"]
#   mutations:
#     - {"type": "azurerm_storage_container", "path": "container_access_type", "set": "blob"}
#     - {"type": "azurerm_storage_container", "path": "container_access_type", "unknown": true}
package zonegate.rules.st.container_private

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "container_access_type", {"private"}, "private", "Storage container allows anonymous access (container_access_type is not private)") if {
	some [i, r] in zg.resources("azurerm_storage_container")
	zg.managed(r)
}
