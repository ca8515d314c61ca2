# METADATA
# title: "AKS nodes have no public IP addresses"
# description: "Nodes with public IPs are directly reachable from the internet, bypassing the hub firewall and NSGs."
# custom:
#   id: ZG-AKS-006
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave node_public_ip_enabled = false (azurerm v3: enable_node_public_ip) on default_node_pool and every azurerm_kubernetes_cluster_node_pool."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_143"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "default_node_pool.node_public_ip_enabled", "set": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "default_node_pool.node_public_ip_enabled", "unknown": true}
#     - {"type": "azurerm_kubernetes_cluster_node_pool", "path": "node_public_ip_enabled", "set": true}
#     - {"type": "azurerm_kubernetes_cluster_node_pool", "path": "node_public_ip_enabled", "unknown": true}
package zonegate.rules.aks.node_public_ip

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["default_node_pool.node_public_ip_enabled", "default_node_pool.enable_node_public_ip"], {false}, false, "AKS default node pool: nodes get public IP addresses") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, ["node_public_ip_enabled", "enable_node_public_ip"], {false}, false, "AKS node pool: nodes get public IP addresses") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster_node_pool")
	zg.managed(r)
}
