# METADATA
# title: "A userDefinedRouting cluster's subnet routes the internet through a firewall"
# description: "userDefinedRouting only restricts egress if the node subnet's route table sends 0.0.0.0/0 to a virtual appliance (the egress firewall) (PCI DSS 1.3.2, 1.4.2). Every AKS cluster with outbound_type = userDefinedRouting must have its default node pool's subnet associated with a route table whose default route has next hop type VirtualAppliance. The route table lives in the network stack and the cluster in the compute stack, so this is decided over the whole estate."
# custom:
#   id: ZG-EGR-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   scope: estate
#   remediation: "Route the cluster's subnet with constructs/egress-firewall.ts (route table with 0.0.0.0/0 → VirtualAppliance, associated with the aks subnet)."
#   construct: constructs/egress-firewall.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster", "azurerm_subnet", "azurerm_route_table", "azurerm_subnet_route_table_association"]
#   mutations:
#     - {"type": "azurerm_subnet_route_table_association", "path": "subnet_id", "delete": true}
#     - {"type": "azurerm_route_table", "path": "route", "set": [{"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "Internet"}]}
#     - {"type": "azurerm_route_table", "path": "route", "delete": true}
package zonegate.rules.egr.aks_route

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_subnet_names := ["default_node_pool.vnet_subnet_id", "default_node_pool.0.vnet_subnet_id"]

_defaults_to_appliance(rt) if {
	some route in zg.blocks(rt.values, "route")
	route.address_prefix == "0.0.0.0/0"
	route.next_hop_type == "VirtualAppliance"
}

# route tables (by key and lowercased id) whose default route goes to an appliance
_good_tables contains rt.key if {
	some [_, rt] in zg.resources("azurerm_route_table")
	zg.managed(rt)
	_defaults_to_appliance(rt)
}

_good_tables contains lower(rt.values.id) if {
	some [_, rt] in zg.resources("azurerm_route_table")
	zg.managed(rt)
	_defaults_to_appliance(rt)
	is_string(rt.values.id)
}

_table_refs(a) := zg.refs_to(a, "route_table_id") | {lower(id) | id := a.values.route_table_id; is_string(id)}

_subnet_refs(a) := zg.refs_to(a, "subnet_id") | {lower(id) | id := a.values.subnet_id; is_string(id)}

# subnets (keys and lowercased ids) associated with a good route table
_routed contains s if {
	some [_, a] in zg.resources("azurerm_subnet_route_table_association")
	zg.managed(a)
	good := _good_tables
	some t in _table_refs(a)
	good[t]
	some s in _subnet_refs(a)
}

_cluster_subnets(r) := zg.refs_to(r, "default_node_pool.vnet_subnet_id") | {lower(id) | id := zg.attr(r, _subnet_names); is_string(id)}

_udr(r) if zg.attr(r, "network_profile.outbound_type") == "userDefinedRouting"

deny contains zg.finding(meta.id, i, "The cluster uses userDefinedRouting but its node subnet has no route table sending 0.0.0.0/0 to a firewall") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	_udr(r)
	routed := _routed
	count({s | some s in _cluster_subnets(r); routed[s]}) == 0
}
