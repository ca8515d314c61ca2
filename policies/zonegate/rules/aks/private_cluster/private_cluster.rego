# METADATA
# title: "AKS cluster is private"
# description: "A public API server exposes the control plane of a cardholder-data environment to the internet."
# custom:
#   id: ZG-AKS-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set private_cluster_enabled = true (constructs/aks-cluster.ts). azurerm has no api_server_access_profile.private_cluster_enabled; the top-level name is used in v2-v4."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_115"], "trivy": ["AVD-AZU-0041"]}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "private_cluster_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "private_cluster_enabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "private_cluster_enabled", "unknown": true}
package zonegate.rules.aks.private_cluster

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "private_cluster_enabled", {true}, false, "AKS API server is public (private_cluster_enabled is not true)") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
