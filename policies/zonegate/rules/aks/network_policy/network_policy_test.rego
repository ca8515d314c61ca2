package zonegate.rules.aks.network_policy_test

import data.zonegate.rules.aks.network_policy
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_network_policy_missing if {
	count(network_policy.deny) == 2 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {})])
}

test_deny_aks_network_policy_kubenet if {
	count(network_policy.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"network_profile": [{"network_plugin": "kubenet", "network_policy": "calico"}]})])
}

test_allow_aks_network_policy if {
	count(network_policy.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"network_profile": {"network_plugin": "azure", "network_policy": "cilium"}})])
}

test_unknown_aks_network_policy if {
	c := tl.unk(tl.res("azurerm_kubernetes_cluster", "c", {"network_profile": {"network_plugin": "azure"}}), ["network_profile.0.network_policy"])
	some f in network_policy.deny with input as tl.mk([c])
	f.unknown
}
