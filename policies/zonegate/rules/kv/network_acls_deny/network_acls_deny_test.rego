package zonegate.rules.kv.network_acls_deny_test

import data.zonegate.rules.kv.network_acls_deny
import data.zonegate.testlib as tl
import rego.v1

test_deny_kv_network_acls_deny if {
	fs := network_acls_deny.deny with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": {"default_action": "Allow"}})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-KV-005"
	f.unknown == false
}

test_allow_kv_network_acls_deny if {
	count(network_acls_deny.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": {"default_action": "Deny"}})])
}

test_unknown_kv_network_acls_deny if {
	fs := network_acls_deny.deny with input as tl.mk([tl.unk(tl.res("azurerm_key_vault", "x", {}), ["network_acls.default_action"])])
	some f in fs
	f.unknown == true
}

test_absent_kv_network_acls_deny if {
	count(network_acls_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {})])
}

test_deny_list_block_kv_network_acls_deny if {
	count(network_acls_deny.deny) == 1 with input as tl.mk([tl.res("azurerm_key_vault", "x", {"network_acls": [{"default_action": "Allow"}]})])
}

_acl(v) := object.union({"at": 0, "default_action": "deny", "ip_broad": false, "ip_unknown": false, "ip_unresolved": [], "ip_sources": []}, v)

_kv(acl) := object.union(tl.res("azurerm_key_vault", "kv", {"network_acls": {"default_action": "Deny"}}), {"effective": {"network_acls": acl}})

test_deny_kv_broad_ip_rules if {
	fs := network_acls_deny.deny with input as tl.mk([_kv(_acl({"ip_broad": true, "ip_sources": ["0.0.0.0/1", "128.0.0.0/1"]}))])
	count(fs) == 1
	some f in fs
	f.message == "Key Vault firewall allow-lists internet-wide ranges: 0.0.0.0/1, 128.0.0.0/1"
}

test_deny_kv_unresolvable_ip_rules if {
	count(network_acls_deny.deny) == 1 with input as tl.mk([_kv(_acl({"ip_unresolved": ["office"]}))])
}

test_unknown_kv_ip_rules if {
	fs := network_acls_deny.deny with input as tl.mk([_kv(_acl({"ip_unknown": true}))])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_kv_narrow_ip_rules if {
	count(network_acls_deny.deny) == 0 with input as tl.mk([_kv(_acl({"ip_sources": ["203.0.113.7/32"]}))])
}
