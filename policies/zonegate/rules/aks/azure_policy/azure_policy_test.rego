package zonegate.rules.aks.azure_policy_test

import data.zonegate.rules.aks.azure_policy
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_azure_policy if {
	fs := azure_policy.deny with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"azure_policy_enabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-AKS-009"
	f.unknown == false
}

test_allow_aks_azure_policy if {
	count(azure_policy.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"azure_policy_enabled": true})])
}

test_unknown_aks_azure_policy if {
	fs := azure_policy.deny with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "x", {}), ["azure_policy_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_aks_azure_policy if {
	count(azure_policy.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {})])
}

test_deny_legacy_aks_azure_policy if {
	count(azure_policy.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"addon_profile": {"azure_policy": {"enabled": false}}})])
}
