package zonegate.rules.egr.aks_route_test

import data.zonegate.rules.egr.aks_route
import data.zonegate.testlib as tl
import rego.v1

_subnet := tl.res("azurerm_subnet", "aks", {})

_aks := tl.ref(tl.res("azurerm_kubernetes_cluster", "aks", {"network_profile": {"outbound_type": "userDefinedRouting"}, "default_node_pool": {}}), "default_node_pool.vnet_subnet_id", _subnet)

_rt(hop) := tl.res("azurerm_route_table", "rt", {"route": [{"name": "d", "address_prefix": "0.0.0.0/0", "next_hop_type": hop}]})

_assoc(rt) := tl.ref(tl.ref(tl.res("azurerm_subnet_route_table_association", "a", {}), "subnet_id", _subnet), "route_table_id", rt)

test_deny_aks_egress_route_none if {
	count(aks_route.deny) == 1 with input as tl.mk([_subnet, _aks])
}

test_deny_aks_egress_route_internet if {
	rt := _rt("Internet")
	count(aks_route.deny) == 1 with input as tl.mk([_subnet, _aks, rt, _assoc(rt)])
}

test_allow_aks_egress_route if {
	rt := _rt("VirtualAppliance")
	count(aks_route.deny) == 0 with input as tl.mk([_subnet, _aks, rt, _assoc(rt)])
}

test_allow_aks_egress_route_ids if {
	rt := object.union(_rt("VirtualAppliance"), {"values": {"id": "/RT"}})
	a := tl.res("azurerm_subnet_route_table_association", "a", {"subnet_id": "/snet", "route_table_id": "/rt"})
	aks := tl.res("azurerm_kubernetes_cluster", "aks", {"network_profile": [{"outbound_type": "userDefinedRouting"}], "default_node_pool": [{"vnet_subnet_id": "/SNET"}]})
	count(aks_route.deny) == 0 with input as tl.mk([aks, rt, a])
}

test_allow_aks_egress_route_lb if {
	aks := tl.res("azurerm_kubernetes_cluster", "aks", {"network_profile": {"outbound_type": "loadBalancer"}})
	count(aks_route.deny) == 0 with input as tl.mk([aks])
}
