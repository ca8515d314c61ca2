package zonegate.rules.st_network_deny

import data.zonegate.testlib as tl
import rego.v1

test_deny_st_network_deny if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": true, "network_rules": [{"default_action": "Allow"}]})])
}

test_deny_st_network_deny_absent if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {})])
}

test_allow_st_network_deny_pna if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": false})])
}

test_allow_st_network_deny_firewall if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"network_rules": {"default_action": "Deny"}})])
}

test_allow_st_network_deny_standalone if {
	sa := tl.res("azurerm_storage_account", "sa", {})
	n := tl.ref(tl.res("azurerm_storage_account_network_rules", "n", {"default_action": "Deny"}), "storage_account_id", sa)
	count(deny) == 0 with input as tl.mk([sa, n])
}

test_unknown_st_network_deny if {
	some f in deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "sa", {}), ["public_network_access_enabled"])])
	f.unknown
}

test_unknown_st_network_deny_action if {
	some f in deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "sa", {}), ["network_rules"])])
	f.unknown
}
