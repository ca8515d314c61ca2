package zonegate.rules.aks.oms_agent_test

import data.zonegate.rules.aks.oms_agent
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_oms_agent if {
	count(oms_agent.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {})])
}

test_allow_aks_oms_agent if {
	count(oms_agent.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"oms_agent": [{"log_analytics_workspace_id": "/sub/ws"}]})])
}

test_allow_legacy_aks_oms_agent_addon_profile if {
	count(oms_agent.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {"addon_profile": [{"oms_agent": [{"log_analytics_workspace_id": "/sub/ws"}]}]})])
}
