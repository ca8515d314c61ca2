# METADATA
# title: "AKS Azure Policy add-on is enabled"
# description: "The Azure Policy add-on reports cluster compliance to the tenant's Azure Policy assignments (defence in depth next to Kyverno)."
# custom:
#   id: ZG-AKS-009
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["2.2.1", "6.4.1"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Set azure_policy_enabled = true (azurerm v2: addon_profile { azure_policy { enabled = true } })."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_116"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_policy_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_policy_enabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_policy_enabled", "unknown": true}
package zonegate.rules.aks.azure_policy

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["azure_policy_enabled", "addon_profile.azure_policy.enabled"], {true}, false, "AKS Azure Policy add-on is disabled") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
