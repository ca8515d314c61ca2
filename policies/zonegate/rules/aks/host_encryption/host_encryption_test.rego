package zonegate.rules.aks.host_encryption_test

import data.zonegate.rules.aks.host_encryption
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_host_encryption_default_pool if {
	count(host_encryption.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"default_node_pool": [{"host_encryption_enabled": false}]})])
}

test_deny_aks_host_encryption_node_pool_legacy if {
	count(host_encryption.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster_node_pool", "p", {"enable_host_encryption": false})])
}

test_allow_aks_host_encryption if {
	c := tl.res("azurerm_kubernetes_cluster", "c", {"default_node_pool": {"host_encryption_enabled": true}})
	p := tl.res("azurerm_kubernetes_cluster_node_pool", "p", {"host_encryption_enabled": true})
	count(host_encryption.deny) == 0 with input as tl.mk([c, p])
}

test_unknown_aks_host_encryption if {
	p := tl.unk(tl.res("azurerm_kubernetes_cluster_node_pool", "p", {}), ["host_encryption_enabled"])
	some f in host_encryption.deny with input as tl.mk([p])
	f.unknown
}
