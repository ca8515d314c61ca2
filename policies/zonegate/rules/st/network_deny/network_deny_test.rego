package zonegate.rules.st.network_deny_test

import data.zonegate.rules.st.network_deny
import data.zonegate.testlib as tl
import rego.v1

test_deny_st_network_deny if {
	count(network_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": true, "network_rules": [{"default_action": "Allow"}]})])
}

test_deny_st_network_deny_absent if {
	count(network_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {})])
}

test_deny_st_network_deny_firewall_only if {
	# default_action Deny does not close the public endpoint (allow-lists, trusted-services bypass)
	count(network_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": true, "network_rules": {"default_action": "Deny"}})])
}

test_deny_st_network_deny_firewall_pna_absent if {
	count(network_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"network_rules": {"default_action": "Deny"}})])
}

test_deny_st_network_deny_standalone_rules if {
	sa := tl.res("azurerm_storage_account", "sa", {})
	n := tl.ref(tl.res("azurerm_storage_account_network_rules", "n", {"default_action": "Deny"}), "storage_account_id", sa)
	count(network_deny.deny) == 1 with input as tl.mk([sa, n])
}

test_allow_st_network_deny_pna if {
	count(network_deny.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": false})])
}

test_allow_st_network_deny_pna_and_firewall if {
	count(network_deny.deny) == 0 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {"public_network_access_enabled": false, "network_rules": [{"default_action": "Deny"}]})])
}

test_unknown_st_network_deny if {
	some f in network_deny.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "sa", {"network_rules": {"default_action": "Deny"}}), ["public_network_access_enabled"])])
	f.unknown
}
