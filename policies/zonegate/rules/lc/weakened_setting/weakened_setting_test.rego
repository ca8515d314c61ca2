package zonegate.rules.lc.weakened_setting_test

import data.zonegate.rules.lc.weakened_setting
import data.zonegate.testlib as tl
import rego.v1

upd(t, before, after) := tl.override(tl.res(t, "x", after), {"actions": ["update"], "before": before})

test_deny_retention_lowered if {
	fs := weakened_setting.deny with input as tl.mk([upd("azurerm_log_analytics_workspace", {"retention_in_days": 730}, {"retention_in_days": 365})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-LC-002"
	contains(f.message, "before 730")
	contains(f.message, "after 365")
}

test_deny_purge_protection_off if {
	count(weakened_setting.deny) == 1 with input as tl.mk([upd("azurerm_key_vault", {"purge_protection_enabled": true}, {"purge_protection_enabled": false})])
}

test_deny_public_access_on_legacy_name if {
	count(weakened_setting.deny) == 1 with input as tl.mk([upd("azurerm_storage_account", {"allow_blob_public_access": false}, {"allow_blob_public_access": true})])
}

test_deny_tls_lowered if {
	count(weakened_setting.deny) == 1 with input as tl.mk([upd("azurerm_storage_account", {"min_tls_version": "TLS1_2"}, {"min_tls_version": "TLS1_0"})])
}

test_deny_flow_log_retention_block if {
	count(weakened_setting.deny) == 1 with input as tl.mk([upd("azurerm_network_watcher_flow_log", {"retention_policy": [{"days": 365}]}, {"retention_policy": [{"days": 7}]})])
}

test_allow_strengthened_or_unchanged if {
	count(weakened_setting.deny) == 0 with input as tl.mk([
		upd("azurerm_log_analytics_workspace", {"retention_in_days": 365}, {"retention_in_days": 730}),
		upd("azurerm_key_vault", {"purge_protection_enabled": false}, {"purge_protection_enabled": true}),
		upd("azurerm_storage_account", {"min_tls_version": "TLS1_2"}, {"min_tls_version": "TLS1_2"}),
	])
}

test_allow_creates_without_before if {
	count(weakened_setting.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"purge_protection_enabled": false})])
}

test_allow_prior_not_compliant if {
	count(weakened_setting.deny) == 0 with input as tl.mk([upd("azurerm_storage_account", {"public_network_access_enabled": true}, {"public_network_access_enabled": true})])
}

test_unknown_after_value if {
	r := tl.unk(upd("azurerm_key_vault", {"purge_protection_enabled": true}, {}), ["purge_protection_enabled"])
	fs := weakened_setting.deny with input as tl.mk([r])
	some f in fs
	f.unknown == true
}
