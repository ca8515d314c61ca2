# METADATA
# title: "AKS nodes use encryption at host"
# description: "Encryption at host covers temp disks and OS/data disk caches, which the disk encryption set alone does not."
# custom:
#   id: ZG-AKS-007
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set host_encryption_enabled = true (azurerm v3: enable_host_encryption) on default_node_pool and every node pool."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_227"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "default_node_pool.host_encryption_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "default_node_pool.host_encryption_enabled", "unknown": true}
#     - {"type": "azurerm_kubernetes_cluster_node_pool", "path": "host_encryption_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster_node_pool", "path": "host_encryption_enabled", "unknown": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "default_node_pool.host_encryption_enabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster_node_pool", "path": "host_encryption_enabled", "delete": true}
package zonegate.rules.aks.host_encryption

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["default_node_pool.host_encryption_enabled", "default_node_pool.enable_host_encryption"], {true}, false, "AKS default node pool: encryption at host is disabled") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, ["host_encryption_enabled", "enable_host_encryption"], {true}, false, "AKS node pool: encryption at host is disabled") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster_node_pool")
	zg.managed(r)
}
