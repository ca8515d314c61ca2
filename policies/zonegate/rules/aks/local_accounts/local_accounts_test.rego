package zonegate.rules.aks.local_accounts_test

import data.zonegate.rules.aks.local_accounts
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_local_accounts if {
	fs := local_accounts.deny with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"local_account_disabled": false})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-AKS-003"
	f.unknown == false
}

test_allow_aks_local_accounts if {
	count(local_accounts.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"local_account_disabled": true})])
}

test_unknown_aks_local_accounts if {
	fs := local_accounts.deny with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "x", {}), ["local_account_disabled"])])
	some f in fs
	f.unknown == true
}

test_absent_aks_local_accounts if {
	count(local_accounts.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {})])
}
