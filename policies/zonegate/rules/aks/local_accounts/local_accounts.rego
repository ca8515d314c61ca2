# METADATA
# title: "AKS local accounts are disabled"
# description: "The clusterAdmin kubeconfig is a shared, non-attributable credential that bypasses Entra ID."
# custom:
#   id: ZG-AKS-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["8.2.2", "8.3.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set local_account_disabled = true (constructs/aks-cluster.ts)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_141"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "local_account_disabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "local_account_disabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "local_account_disabled", "unknown": true}
package zonegate.rules.aks.local_accounts

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "local_account_disabled", {true}, false, "AKS local (admin) accounts are enabled") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
