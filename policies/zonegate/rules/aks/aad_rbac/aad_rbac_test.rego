package zonegate.rules.aks.aad_rbac_test

import data.zonegate.rules.aks.aad_rbac
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_aad_rbac_missing if {
	count(aad_rbac.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {})])
}

test_deny_aks_aad_rbac_off if {
	v := {"role_based_access_control_enabled": false, "azure_active_directory_role_based_access_control": {"azure_rbac_enabled": true}}
	count(aad_rbac.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", v)])
}

test_allow_aks_aad_rbac if {
	v := {"role_based_access_control_enabled": true, "azure_active_directory_role_based_access_control": [{"azure_rbac_enabled": true}]}
	count(aad_rbac.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", v)])
}

test_allow_legacy_aks_aad_rbac_v2 if {
	v := {"role_based_access_control": [{"enabled": true, "azure_active_directory": [{"azure_rbac_enabled": true}]}]}
	count(aad_rbac.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", v)])
}

test_unknown_aks_aad_rbac if {
	c := tl.unk(tl.res("azurerm_kubernetes_cluster", "c", {}), ["azure_active_directory_role_based_access_control.0.azure_rbac_enabled"])
	some f in aad_rbac.deny with input as tl.mk([c])
	f.unknown
}
