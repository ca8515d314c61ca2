# METADATA
# title: "AKS Key Vault secrets provider rotates secrets"
# description: "Workload secrets come from Key Vault through the CSI driver; without rotation a rotated secret stays stale in pods."
# custom:
#   id: ZG-AKS-011
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["3.6.1", "8.3.9"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Set key_vault_secrets_provider { secret_rotation_enabled = true } (constructs/aks-cluster.ts)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_172"], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "key_vault_secrets_provider.secret_rotation_enabled", "set": false}
#     - {"type": "azurerm_kubernetes_cluster", "path": "key_vault_secrets_provider.secret_rotation_enabled", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "path": "key_vault_secrets_provider.secret_rotation_enabled", "unknown": true}
package zonegate.rules.aks.secret_rotation

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "key_vault_secrets_provider.secret_rotation_enabled", {true}, null, "AKS Key Vault secrets provider does not rotate secrets") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
}
