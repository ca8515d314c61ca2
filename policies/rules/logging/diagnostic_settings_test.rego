package zonegate.rules.diagnostic_settings

import data.zonegate.testlib as tl
import rego.v1

_kv := tl.res("azurerm_key_vault", "kv", {"id": "/sub/kv"})

test_deny_diagnostic_settings if {
	count(deny) == 1 with input as tl.mk([_kv])
}

test_deny_diagnostic_settings_no_workspace if {
	ds := tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "d", {}), "target_resource_id", _kv)
	count(deny) == 1 with input as tl.mk([_kv, ds])
}

test_allow_diagnostic_settings_ref if {
	ds := tl.unk(tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "d", {}), "target_resource_id", _kv), ["log_analytics_workspace_id"])
	count(deny) == 0 with input as tl.mk([_kv, ds])
}

test_allow_diagnostic_settings_id if {
	ds := tl.res("azurerm_monitor_diagnostic_setting", "d", {"target_resource_id": "/SUB/kv", "log_analytics_workspace_id": "/sub/ws"})
	count(deny) == 0 with input as tl.mk([_kv, ds])
}
