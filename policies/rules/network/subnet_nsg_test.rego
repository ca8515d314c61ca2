package zonegate.rules.subnet_nsg

import data.zonegate.testlib as tl
import rego.v1

_s(name) := tl.res("azurerm_subnet", name, {"name": name, "id": concat("", ["/sub/", name])})

test_deny_subnet_nsg if {
	count(deny) == 1 with input as tl.mk([_s("aks")])
}

test_allow_subnet_nsg_exempt if {
	count(deny) == 0 with input as tl.mk([_s("GatewaySubnet"), _s("AzureBastionSubnet")])
}

test_allow_subnet_nsg_ref if {
	s := _s("aks")
	a := tl.unk(tl.ref(tl.res("azurerm_subnet_network_security_group_association", "a", {}), "subnet_id", s), ["network_security_group_id"])
	count(deny) == 0 with input as tl.mk([s, a])
}

test_allow_subnet_nsg_id if {
	a := tl.res("azurerm_subnet_network_security_group_association", "a", {"subnet_id": "/sub/aks", "network_security_group_id": "/sub/nsg"})
	count(deny) == 0 with input as tl.mk([_s("aks"), a])
}

test_allow_legacy_subnet_nsg_inline if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_subnet", "s", {"name": "x", "network_security_group_id": "/sub/nsg"})])
}
