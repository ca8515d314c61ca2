package zonegate.rules.nsg_internet_mgmt_ports

import data.zonegate.testlib as tl
import rego.v1

_r(v) := tl.res("azurerm_network_security_rule", "r", object.union({"name": "r", "access": "Allow", "direction": "Inbound", "protocol": "Tcp"}, v))

test_deny_nsg_ssh_star if {
	fs := deny with input as tl.mk([_r({"destination_port_range": 22, "source_address_prefix": "*"})])
	count(fs) == 1
	some f in fs
	f.message == "Inbound rule r allows the internet to management port(s) 22"
}

test_deny_nsg_all_internet if {
	count(deny) == 1 with input as tl.mk([_r({"destination_port_range": "*", "source_address_prefix": "Internet"})])
}

test_deny_nsg_range if {
	count(deny) == 1 with input as tl.mk([_r({"destination_port_range": "10-100", "source_address_prefix": "0.0.0.0/0"})])
}

test_deny_nsg_ranges_prefixes if {
	count(deny) == 1 with input as tl.mk([_r({"destination_port_range": null, "destination_port_ranges": [22, 443], "source_address_prefixes": ["Internet", "10.0.0.0/16"]})])
}

test_deny_nsg_string_port if {
	count(deny) == 1 with input as tl.mk([_r({"destination_port_range": "3389", "source_address_prefix": "::/0"})])
}

test_deny_nsg_inline_ranges if {
	nsg := tl.res("azurerm_network_security_group", "g", {"security_rule": [{"name": "a", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "destination_port_ranges": ["10-100", "8000-9000"], "source_address_prefix": "*"}]})
	count(deny) == 1 with input as tl.mk([nsg])
}

test_allow_nsg_https_internet if {
	count(deny) == 0 with input as tl.mk([_r({"destination_port_range": 443, "source_address_prefix": "Internet"})])
}

test_allow_nsg_ssh_restricted if {
	count(deny) == 0 with input as tl.mk([_r({"destination_port_range": 22, "source_address_prefixes": ["123.123.123.123/32", "10.0.0.0/16"]})])
}

test_allow_nsg_inline_restricted if {
	nsg := tl.res("azurerm_network_security_group", "g", {"security_rule": {"name": "a", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "destination_port_range": 22, "source_address_prefix": "10.0.0.0/16"}})
	count(deny) == 0 with input as tl.mk([nsg])
}

test_allow_nsg_deny_rule if {
	count(deny) == 0 with input as tl.mk([_r({"access": "Deny", "destination_port_range": "*", "source_address_prefix": "*"})])
}
