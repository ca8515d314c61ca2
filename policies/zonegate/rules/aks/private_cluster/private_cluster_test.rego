package zonegate.rules.aks.private_cluster_test

import data.zonegate.rules.aks.private_cluster
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_private_cluster if {
	fs := private_cluster.deny with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"private_cluster_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-AKS-001"
	f.unknown == false
}

test_allow_aks_private_cluster if {
	count(private_cluster.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"private_cluster_enabled": true})])
}

test_unknown_aks_private_cluster if {
	fs := private_cluster.deny with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "x", {}), ["private_cluster_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_aks_private_cluster if {
	count(private_cluster.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {})])
}
