package zonegate.rules.aks.upgrade_channel_test

import data.zonegate.rules.aks.upgrade_channel
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_upgrade_channel if {
	fs := upgrade_channel.deny with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"automatic_upgrade_channel": "none"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-AKS-010"
	f.unknown == false
}

test_allow_aks_upgrade_channel if {
	count(upgrade_channel.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"automatic_upgrade_channel": "patch"})])
}

test_unknown_aks_upgrade_channel if {
	fs := upgrade_channel.deny with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "x", {}), ["automatic_upgrade_channel"])])
	some f in fs
	f.unknown == true
}

test_absent_aks_upgrade_channel if {
	count(upgrade_channel.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {})])
}

test_deny_legacy_aks_upgrade_channel if {
	count(upgrade_channel.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"automatic_channel_upgrade": "none"})])
}
