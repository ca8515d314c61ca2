# METADATA
# title: "Storage account requires TLS 1.2 or later"
# description: "TLS 1.0/1.1 are not strong cryptography for data in transit (PCI DSS 4.2.1)."
# custom:
#   id: ZG-ST-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["4.2.1", "2.2.7"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set min_tls_version = \"TLS1_2\" (constructs/immutable-archive.ts and every storage construct set it)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_44"], "trivy": ["AVD-AZU-0011"]}
#   resource_types: ["azurerm_storage_account"]
#   stricter_than_peers: "checkov fails an absent min_tls_version too; we also deny any value outside TLS1_2/TLS1_3 rather than comparing strings."
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "min_tls_version", "set": "TLS1_0"}
#     - {"type": "azurerm_storage_account", "path": "min_tls_version", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "min_tls_version", "unknown": true}
package zonegate.rules.st.min_tls

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "min_tls_version", {"TLS1_2", "TLS1_3"}, null, "Storage account minimum TLS version is below TLS1_2") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
