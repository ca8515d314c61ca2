package zonegate.rules.log.diagnostic_settings_test

import data.zonegate.rules.log.diagnostic_settings
import data.zonegate.testlib as tl
import rego.v1

_kv := tl.res("azurerm_key_vault", "kv", {"id": "/sub/kv"})

_logs := {"enabled_log": [{"category_group": "allLogs"}], "enabled_metric": [{"category": "AllMetrics"}]}

_ds(values) := tl.unk(tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "d", values), "target_resource_id", _kv), ["log_analytics_workspace_id"])

test_deny_diagnostic_settings if {
	count(diagnostic_settings.deny) == 1 with input as tl.mk([_kv])
}

test_deny_diagnostic_settings_no_workspace if {
	ds := tl.ref(tl.res("azurerm_monitor_diagnostic_setting", "d", _logs), "target_resource_id", _kv)
	count(diagnostic_settings.deny) == 1 with input as tl.mk([_kv, ds])
}

test_deny_diagnostic_settings_metrics_only if {
	count(diagnostic_settings.deny) == 1 with input as tl.mk([_kv, _ds({"enabled_metric": [{"category": "AllMetrics"}]})])
}

test_deny_diagnostic_settings_empty_logs if {
	count(diagnostic_settings.deny) == 1 with input as tl.mk([_kv, _ds({"enabled_log": []})])
}

test_deny_diagnostic_settings_legacy_log_disabled if {
	count(diagnostic_settings.deny) == 1 with input as tl.mk([_kv, _ds({"log": [{"category": "AuditEvent", "enabled": false}]})])
}

test_allow_diagnostic_settings_ref if {
	count(diagnostic_settings.deny) == 0 with input as tl.mk([_kv, _ds(_logs)])
}

test_allow_diagnostic_settings_legacy_log if {
	count(diagnostic_settings.deny) == 0 with input as tl.mk([_kv, _ds({"log": [{"category": "AuditEvent", "enabled": true}]})])
}

test_allow_diagnostic_settings_id if {
	ds := tl.res("azurerm_monitor_diagnostic_setting", "d", object.union(_logs, {"target_resource_id": "/SUB/kv", "log_analytics_workspace_id": "/sub/ws"}))
	count(diagnostic_settings.deny) == 0 with input as tl.mk([_kv, ds])
}

test_allow_diagnostic_settings_storage_blob_service if {
	st := tl.res("azurerm_storage_account", "st", {"id": "/sub/st"})
	ds := tl.res("azurerm_monitor_diagnostic_setting", "d", object.union(_logs, {"target_resource_id": "/sub/st/blobServices/default", "log_analytics_workspace_id": "/sub/ws"}))
	count(diagnostic_settings.deny) == 0 with input as tl.mk([st, ds])
}

test_deny_diagnostic_settings_storage_account_metrics_only if {
	st := tl.res("azurerm_storage_account", "st", {"id": "/sub/st"})
	ds := tl.res("azurerm_monitor_diagnostic_setting", "d", {"enabled_metric": [{"category": "AllMetrics"}], "target_resource_id": "/sub/st", "log_analytics_workspace_id": "/sub/ws"})
	count(diagnostic_settings.deny) == 1 with input as tl.mk([st, ds])
}
