package zonegate.rules.st.firewall_effective_test

import data.zonegate.rules.st.firewall_effective
import data.zonegate.testlib as tl
import rego.v1

_a(v) := object.union({"at": 0, "default_action": "deny", "absent": false, "ip_broad": false, "ip_unknown": false, "ip_unresolved": [], "ip_sources": []}, v)

_sa(acls) := object.union(tl.res("azurerm_storage_account", "sa", {}), {"effective": {"network_acls": acls}})

_nr(acls) := object.union(tl.res("azurerm_storage_account_network_rules", "nr", {}), {"effective": {"network_acls": acls}})

# A separate network-rules resource re-opening a closed account: the finding names the network-rules resource.
test_deny_network_rules_resource_reopens if {
	fs := firewall_effective.deny with input as tl.mk([_sa([_a({}), _a({"at": 1, "default_action": "allow"})]), _nr([])])
	count(fs) == 1
	some f in fs
	f.resource == 1
	f.message == "Storage firewall is open: network rules default_action is allow, not deny"
}

test_deny_absent_firewall if {
	fs := firewall_effective.deny with input as tl.mk([_sa([_a({"default_action": "allow", "absent": true})])])
	count(fs) == 1
	some f in fs
	contains(f.message, "provider default")
}

test_deny_broad_ip_rules if {
	fs := firewall_effective.deny with input as tl.mk([_nr([_a({"ip_broad": true, "ip_sources": ["0.0.0.0/1", "128.0.0.0/1"]})])])
	count(fs) == 1
	some f in fs
	f.message == "Storage firewall allow-lists internet-wide ranges: 0.0.0.0/1, 128.0.0.0/1"
}

test_deny_unresolvable_ip_rules if {
	count(firewall_effective.deny) == 1 with input as tl.mk([_sa([_a({"ip_unresolved": ["office"]})])])
}

test_unknown_default_action if {
	fs := firewall_effective.deny with input as tl.mk([_sa([_a({"default_action": "unknown"})])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_unknown_ip_rules if {
	fs := firewall_effective.deny with input as tl.mk([_sa([_a({"ip_unknown": true})])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_closed_firewall if {
	count(firewall_effective.deny) == 0 with input as tl.mk([_sa([_a({}), _a({"at": 1})]), _nr([])])
}
