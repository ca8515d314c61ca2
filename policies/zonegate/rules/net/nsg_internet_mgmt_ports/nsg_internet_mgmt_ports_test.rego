package zonegate.rules.net.nsg_internet_mgmt_ports_test

import data.zonegate.rules.net.nsg_internet_mgmt_ports
import data.zonegate.testlib as tl
import rego.v1

# _x(v) is one effective security rule (lib/gate/effective/network-security-group.ts) declared by resource 0.
_x(v) := object.union({"at": 0, "name": "r", "allow_inbound": "yes", "protocol": "tcp", "ports": ["22"], "ports_unknown": false, "source": "internet", "sources": ["0.0.0.0/1"]}, v)

# _rule(xs) is a separate NSG rule carrying its own effective rule set.
_rule(xs) := object.union(tl.res("azurerm_network_security_rule", "r", {"name": "r"}), {"effective": {"security_rules": xs}})

_nsg(xs) := object.union(tl.res("azurerm_network_security_group", "g", {"name": "g"}), {"effective": {"security_rules": xs}})

test_deny_nsg_ssh_internet if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({})])])
	count(fs) == 1
	some f in fs
	f.message == "Inbound rule r allows the internet (0.0.0.0/1) to management port(s) 22"
	f.resource == 0
}

test_deny_nsg_range_star_and_list if {
	count(nsg_internet_mgmt_ports.deny) == 1 with input as tl.mk([_rule([_x({"ports": ["10-100"]})])])
	count(nsg_internet_mgmt_ports.deny) == 1 with input as tl.mk([_rule([_x({"ports": ["*"]})])])
	count(nsg_internet_mgmt_ports.deny) == 1 with input as tl.mk([_rule([_x({"ports": ["443", "3389"]})])])
	count(nsg_internet_mgmt_ports.deny) == 1 with input as tl.mk([_rule([_x({"ports": [22]})])])
}

# A separate rule merged into its NSG: the finding names the rule (at), not the NSG.
test_deny_nsg_merged_rule_points_at_rule if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_nsg([_x({"at": 1})]), _rule([])])
	count(fs) == 1
	some f in fs
	f.resource == 1
}

test_deny_nsg_unresolvable_source if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({"source": "unresolvable", "sources": ["MyOffice"]})])])
	count(fs) == 1
	some f in fs
	contains(f.message, "cannot resolve")
}

test_unknown_nsg_source if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({"source": "unknown", "sources": []})])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_unknown_nsg_ports if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({"ports": [], "ports_unknown": true})])])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_unknown_nsg_access_or_protocol if {
	fs := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({"allow_inbound": "unknown"})])])
	count(fs) == 1
	some f in fs
	f.unknown
	fs2 := nsg_internet_mgmt_ports.deny with input as tl.mk([_rule([_x({"protocol": "unknown"})])])
	count(fs2) == 1
	some f2 in fs2
	f2.unknown
}

test_allow_nsg_https_internet if {
	count(nsg_internet_mgmt_ports.deny) == 0 with input as tl.mk([_rule([_x({"ports": ["443"]})])])
}

test_allow_nsg_private_source if {
	count(nsg_internet_mgmt_ports.deny) == 0 with input as tl.mk([_rule([_x({"source": "private", "sources": []})])])
}

test_allow_nsg_deny_rule if {
	count(nsg_internet_mgmt_ports.deny) == 0 with input as tl.mk([_rule([_x({"allow_inbound": "no", "ports": ["*"]})])])
}

test_allow_nsg_icmp if {
	count(nsg_internet_mgmt_ports.deny) == 0 with input as tl.mk([_rule([_x({"protocol": "icmp", "ports": ["*"]})])])
}

test_allow_nsg_deleted if {
	count(nsg_internet_mgmt_ports.deny) == 0 with input as tl.mk([object.union(_rule([_x({})]), {"actions": ["delete"]})])
}
