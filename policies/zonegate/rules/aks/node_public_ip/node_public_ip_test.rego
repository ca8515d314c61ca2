package zonegate.rules.aks.node_public_ip_test

import data.zonegate.rules.aks.node_public_ip
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_node_public_ip_default_pool if {
	count(node_public_ip.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"default_node_pool": [{"node_public_ip_enabled": true}]})])
}

test_deny_aks_node_public_ip_node_pool_legacy if {
	count(node_public_ip.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster_node_pool", "p", {"enable_node_public_ip": true})])
}

test_allow_aks_node_public_ip if {
	c := tl.res("azurerm_kubernetes_cluster", "c", {"default_node_pool": {"node_public_ip_enabled": false}})
	p := tl.res("azurerm_kubernetes_cluster_node_pool", "p", {"node_public_ip_enabled": false})
	count(node_public_ip.deny) == 0 with input as tl.mk([c, p])
}

test_unknown_aks_node_public_ip if {
	p := tl.unk(tl.res("azurerm_kubernetes_cluster_node_pool", "p", {}), ["node_public_ip_enabled"])
	some f in node_public_ip.deny with input as tl.mk([p])
	f.unknown
}
