package zonegate.rules.net.vnet_flow_log_test

import data.zonegate.rules.net.vnet_flow_log
import data.zonegate.testlib as tl
import rego.v1

_v := tl.res("azurerm_virtual_network", "v", {"id": "/sub/vnet"})

test_deny_vnet_flow_log if {
	count(vnet_flow_log.deny) == 1 with input as tl.mk([_v])
}

test_allow_vnet_flow_log_ref if {
	fl := tl.ref(tl.res("azurerm_network_watcher_flow_log", "f", {}), "target_resource_id", _v)
	count(vnet_flow_log.deny) == 0 with input as tl.mk([_v, fl])
}

test_allow_vnet_flow_log_id if {
	fl := tl.res("azurerm_network_watcher_flow_log", "f", {"target_resource_id": "/sub/VNET"})
	count(vnet_flow_log.deny) == 0 with input as tl.mk([_v, fl])
}
