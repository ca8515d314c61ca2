# METADATA
# title: "AKS disks are encrypted with a customer-managed key"
# description: "Node OS and data disks of the cardholder-data environment must be encrypted with the tenant's CMK through a disk encryption set."
# custom:
#   id: ZG-AKS-005
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set disk_encryption_set_id from constructs/disk-encryption-set.ts (constructs/aks-cluster.ts wires it)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_117"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "disk_encryption_set_id", "delete": true}
package zonegate.rules.aks.disk_encryption_set

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, "AKS has no disk_encryption_set_id (CMK disk encryption)") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	not zg.present(r, "disk_encryption_set_id")
}
