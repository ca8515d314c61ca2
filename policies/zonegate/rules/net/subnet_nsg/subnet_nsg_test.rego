package zonegate.rules.net.subnet_nsg_test

import data.zonegate.rules.net.subnet_nsg
import data.zonegate.testlib as tl
import rego.v1

_s(name) := tl.res("azurerm_subnet", name, {"name": name, "id": concat("", ["/sub/", name])})

test_deny_subnet_nsg if {
	count(subnet_nsg.deny) == 1 with input as tl.mk([_s("aks")])
}

test_allow_subnet_nsg_exempt if {
	count(subnet_nsg.deny) == 0 with input as tl.mk([_s("GatewaySubnet"), _s("AzureBastionSubnet")])
}

test_allow_subnet_nsg_ref if {
	s := _s("aks")
	a := tl.unk(tl.ref(tl.res("azurerm_subnet_network_security_group_association", "a", {}), "subnet_id", s), ["network_security_group_id"])
	count(subnet_nsg.deny) == 0 with input as tl.mk([s, a])
}

test_allow_subnet_nsg_id if {
	a := tl.res("azurerm_subnet_network_security_group_association", "a", {"subnet_id": "/sub/aks", "network_security_group_id": "/sub/nsg"})
	count(subnet_nsg.deny) == 0 with input as tl.mk([_s("aks"), a])
}

test_allow_legacy_subnet_nsg_inline if {
	count(subnet_nsg.deny) == 0 with input as tl.mk([tl.res("azurerm_subnet", "s", {"name": "x", "network_security_group_id": "/sub/nsg"})])
}

_vnet(subnets) := object.union(tl.res("azurerm_virtual_network", "v", {"name": "v"}), {"effective": {"subnets": subnets}})

test_deny_inline_subnet_without_nsg if {
	fs := subnet_nsg.deny with input as tl.mk([_vnet([{"name": "snet-app", "nsg": "no"}, {"name": "snet-ok", "nsg": "yes"}])])
	count(fs) == 1
	some f in fs
	f.message == "Inline subnet snet-app of the virtual network has no network security group"
}

test_unknown_inline_subnet_nsg if {
	fs := subnet_nsg.deny with input as tl.mk([_vnet([{"name": "snet-app", "nsg": "unknown"}])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_inline_subnets if {
	count(subnet_nsg.deny) == 0 with input as tl.mk([_vnet([{"name": "snet-app", "nsg": "yes"}, {"name": "GatewaySubnet", "nsg": "no"}])])
}
