# METADATA
# title: "AKS uses Entra ID integration with Azure RBAC"
# description: "Kubernetes RBAC must be on and bound to Entra ID identities with Azure RBAC so access is attributable and reviewable."
# custom:
#   id: ZG-AKS-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["7.2.1", "8.2.1", "8.3.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set azure_active_directory_role_based_access_control { azure_rbac_enabled = true } and keep role_based_access_control_enabled = true (constructs/aks-cluster.ts)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_5"], "trivy": ["AVD-AZU-0042"]}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   stricter_than_peers: "checkov CKV_AZURE_5 only checks that Kubernetes RBAC is enabled; we also require Entra ID integration with Azure RBAC."
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_active_directory_role_based_access_control.azure_rbac_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_active_directory_role_based_access_control.azure_rbac_enabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "azure_active_directory_role_based_access_control.azure_rbac_enabled", "unknown": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "role_based_access_control_enabled", "set": false}
package zonegate.rules.aks.aad_rbac

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_aad := ["azure_active_directory_role_based_access_control.azure_rbac_enabled", "role_based_access_control.azure_active_directory.azure_rbac_enabled"]

_rbac := ["role_based_access_control_enabled", "role_based_access_control.enabled"]

deny contains zg.finding(meta.id, i, "AKS Kubernetes RBAC is disabled") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	zg.attr(r, _rbac) == false
}

deny contains zg.check(meta.id, i, r, _aad, {true}, false, "AKS is not integrated with Entra ID using Azure RBAC") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
