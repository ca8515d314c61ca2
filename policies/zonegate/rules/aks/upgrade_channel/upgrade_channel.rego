# METADATA
# title: "AKS has an automatic upgrade channel"
# description: "Security patches for Kubernetes must be applied in a defined time (PCI DSS 6.3.3); an automatic upgrade channel does it within the maintenance window."
# custom:
#   id: ZG-AKS-010
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["6.3.3"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Set automatic_upgrade_channel = \"patch\" (azurerm v3: automatic_channel_upgrade) with a maintenance window."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_171"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "automatic_upgrade_channel", "set": "none"}
#     - {"type": "azurerm_kubernetes_cluster", "path": "automatic_upgrade_channel", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "automatic_upgrade_channel", "unknown": true}
package zonegate.rules.aks.upgrade_channel

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["automatic_upgrade_channel", "automatic_channel_upgrade"], {"patch", "stable", "rapid", "node-image"}, null, "AKS has no automatic upgrade channel") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
