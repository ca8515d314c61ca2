# METADATA
# title: "AKS enforces network policy with Azure CNI"
# description: "Pods of different tenants and tiers must be segmented: Azure CNI with a real network policy engine (azure, calico or cilium)."
# custom:
#   id: ZG-AKS-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.2.1", "1.3.1", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set network_profile { network_plugin = \"azure\", network_policy = \"cilium\" (or azure/calico) } (constructs/aks-cluster.ts)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_7"], "trivy": ["AVD-AZU-0043"]}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   stricter_than_peers: "checkov CKV_AZURE_7 accepts any network_policy value; we require azure/calico/cilium and network_plugin azure."
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "network_profile.network_policy", "set": "none"}
#     - {"type": "azurerm_kubernetes_cluster", "path": "network_profile.network_policy", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "network_profile.network_policy", "unknown": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "network_profile.network_plugin", "set": "kubenet"}
package zonegate.rules.aks.network_policy

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "network_profile.network_policy", {"azure", "calico", "cilium"}, null, "AKS network_profile.network_policy is not azure, calico or cilium") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, "network_profile.network_plugin", {"azure"}, null, "AKS network_profile.network_plugin is not azure (Azure CNI)") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
