package zonegate.rules.egr.aks_udr_test

import data.zonegate.rules.egr.aks_udr
import data.zonegate.testlib as tl
import rego.v1

_aks(np) := tl.res("azurerm_kubernetes_cluster", "aks", {"network_profile": np})

test_deny_aks_egress_udr_lb if {
	count(aks_udr.deny) == 1 with input as tl.mk([_aks({"outbound_type": "loadBalancer"})])
	count(aks_udr.deny) == 1 with input as tl.mk([_aks({"network_plugin": "azure"})])
	count(aks_udr.deny) == 1 with input as tl.mk([_aks([{"outbound_type": "userAssignedNATGateway"}])])
}

test_allow_aks_egress_udr if {
	count(aks_udr.deny) == 0 with input as tl.mk([_aks({"outbound_type": "userDefinedRouting"})])
	count(aks_udr.deny) == 0 with input as tl.mk([tl.tenant_with(_aks({"outbound_type": "loadBalancer"}), {"env": "dev"})])
}

test_unknown_aks_egress_udr if {
	some f in aks_udr.deny with input as tl.mk([tl.unk(_aks({}), ["network_profile.0.outbound_type"])])
	f.unknown
}
