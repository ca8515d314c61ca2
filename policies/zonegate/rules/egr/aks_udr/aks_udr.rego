# METADATA
# title: "Production AKS egresses through the firewall, not a load balancer"
# description: "Outbound traffic from the cardholder-data environment is restricted to what is necessary (PCI DSS 1.3.2, 1.4.2, 1.2.1): a production cluster with outbound_type = loadBalancer (the provider default) or a NAT gateway reaches the whole internet unfiltered. In prod the cluster must use userDefinedRouting, so its subnet's default route takes it through the egress firewall (ZG-EGR-002 checks the route)."
# custom:
#   id: ZG-EGR-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.2.1", "1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set network_profile.outbound_type = \"userDefinedRouting\" with constructs/egress-firewall.ts routing the node subnet (stacks/compute-stack.ts and stacks/platform-cluster-stack.ts do in prod)."
#   construct: constructs/egress-firewall.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster"]
#   mutations:
#     - {"type": "azurerm_kubernetes_cluster", "where": {"tenant.env": "prod"}, "path": "network_profile.outbound_type", "set": "loadBalancer"}
#     - {"type": "azurerm_kubernetes_cluster", "where": {"tenant.env": "prod"}, "path": "network_profile.outbound_type", "delete": true}
#     - {"type": "azurerm_kubernetes_cluster", "where": {"tenant.env": "prod"}, "path": "network_profile.outbound_type", "set": "managedNATGateway"}
#     - {"type": "azurerm_kubernetes_cluster", "where": {"context.env": "prod"}, "path": "network_profile.outbound_type", "unknown": true}
package zonegate.rules.egr.aks_udr

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "network_profile.outbound_type", {"userDefinedRouting"}, "loadBalancer", "Production AKS cluster egresses without the firewall (outbound_type is not userDefinedRouting)") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	zg.prod(r)
}
