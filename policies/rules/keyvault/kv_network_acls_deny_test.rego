package zonegate.rules.kv_network_acls_deny

import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_network_acls_deny if {
	fs := deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": {"default_action": "Allow"}})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-005"
	f.unknown == false
}

test_allow_kv_network_acls_deny if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": {"default_action": "Deny"}})])
}

test_unknown_kv_network_acls_deny if {
	fs := deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["network_acls.default_action"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_network_acls_deny if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}

test_deny_list_block_kv_network_acls_deny if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": [{"default_action": "Allow"}]})])
}
