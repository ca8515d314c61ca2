# METADATA
# title: "AKS sends container logs to the tenant workspace"
# description: "Container Insights (oms_agent) must ship cluster and container logs to the tenant's Log Analytics workspace for PCI DSS 10.2 audit trails."
# custom:
#   id: ZG-AKS-008
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["10.2.1", "10.2.2"], "gdpr": [], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Set oms_agent { log_analytics_workspace_id = <tenant workspace> } (constructs/aks-cluster.ts)."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": ["CKV_AZURE_4"], "trivy": ["AVD-AZU-0040"]}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "path": "oms_agent", "delete": true}
package zonegate.rules.aks.oms_agent

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_names := ["oms_agent.log_analytics_workspace_id", "addon_profile.oms_agent.log_analytics_workspace_id"]

deny contains zg.finding(meta.id, i, "AKS has no oms_agent sending logs to a Log Analytics workspace") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	not zg.present(r, _names)
}
