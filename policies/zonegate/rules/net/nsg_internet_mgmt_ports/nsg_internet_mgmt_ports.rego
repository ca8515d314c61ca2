# METADATA
# title: "NSGs never allow management ports from the internet"
# description: "Inbound Allow rules from the internet to SSH, RDP, WinRM, database, Kubernetes API, kubelet or Docker ports expose administrative interfaces. Judged on the NSG's effective rule set (inline security_rule blocks and separate azurerm_network_security_rule resources), with sources by address arithmetic: any source prefix, range or union of them that is not inside private ranges (RFC 1918, CGNAT, ULA, link-local) or the tenant's own VNet address space, and the Internet / AzureCloud / * / any tags, IPv4 and IPv6. A source that is neither an address nor a known service tag, or is known only after apply, is a finding."
# custom:
#   id: ZG-NET-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Restrict source_address_prefix(es) to known ranges or use Bastion / private endpoints (constructs/landing-zone-network.ts creates deny-by-default NSGs)."
#   construct: constructs/landing-zone-network.ts
#   peers: {"checkov": ["CKV_AZURE_10", "CKV_AZURE_9"], "trivy": ["AVD-AZU-0047", "AVD-AZU-0048"]}
#   resource_types: ["azurerm_network_security_group", "azurerm_network_security_rule"]
#   stricter_than_peers: "checkov matches a literal list of internet sources (*, 0.0.0.0/0, Internet, any, ...); we compute reachability by CIDR arithmetic, so 0.0.0.0/1, 1.0.0.0/8, a public /32 or 0.0.0.0/1 + 128.0.0.0/1 on a management port are findings too (CKV_AZURE_10 passes ssh_restricted_prefixes, SSH from 123.123.123.123/32: a public address outside the tenant's ranges), and we cover 20 management ports, ranges, * and destination_port_ranges lists."
#   mutations:
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefix": "Internet", "destination_port_range": "22"}, "delete": ["source_address_prefixes", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "1-65535"}, "delete": ["source_address_prefixes", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefixes": ["10.0.0.0/8", "0.0.0.0/0"], "destination_port_ranges": ["443", "3389"]}, "delete": ["source_address_prefix", "destination_port_range"]}
#     - {"type": "azurerm_network_security_group", "set": {"security_rule.0.name": "mutation-ssh", "security_rule.0.access": "Allow", "security_rule.0.direction": "Inbound", "security_rule.0.protocol": "Tcp", "security_rule.0.source_address_prefix": "Internet", "security_rule.0.destination_port_range": "22"}}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefixes": ["0.0.0.0/1", "128.0.0.0/1"], "destination_port_range": "22"}, "delete": ["source_address_prefix", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefix": "2001:db8::/32", "destination_port_range": "3389"}, "delete": ["source_address_prefixes", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "destination_port_range": "22"}, "unknown": ["source_address_prefix"], "delete": ["source_address_prefixes", "destination_port_ranges"]}
package zonegate.rules.net.nsg_internet_mgmt_ports

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_ports := [22, 23, 3389, 5985, 5986, 1433, 1521, 3306, 5432, 6379, 27017, 6443, 2375, 2376, 2379, 2380, 10250, 10255, 9000, 445]

# The effective rule set (lib/gate/effective/network-security-group.ts): on each NSG its inline and separate
# rules; on a separate rule whose NSG is not in the input, that rule alone. x.at is the declaring resource.
_rules := [x |
	some t in ["azurerm_network_security_group", "azurerm_network_security_rule"]
	some [_, r] in zg.resources(t)
	zg.managed(r)
	some x in object.get(r, ["effective", "security_rules"], [])
]

_covers(spec, p) if spec == p

_covers(spec, _) if trim_space(spec) == "*"

_covers(spec, p) if zg.num(trim_space(spec)) == p

_covers(spec, p) if {
	parts := split(spec, "-")
	count(parts) == 2
	zg.num(trim_space(parts[0])) <= p
	p <= zg.num(trim_space(parts[1]))
}

_open(x) := {format_int(p, 10) |
	some p in _ports
	some spec in x.ports
	_covers(spec, p)
}

# An inbound allow (or possibly one) over a protocol that can carry TCP/UDP management traffic.
_candidate(x) if {
	x.allow_inbound != "no"
	x.protocol != "icmp"
}

_msg(x, ports) := concat("", ["Inbound rule ", x.name, " allows the internet (", concat(", ", x.sources), ") to management port(s) ", concat(",", ports)])

_unresolvable_msg(x) := concat("", ["Inbound rule ", x.name, " allows source(s) the gate cannot resolve to addresses (", concat(", ", x.sources), ") to management ports"])

deny contains zg.finding(meta.id, x.at, _msg(x, ports)) if {
	some x in _rules
	x.allow_inbound == "yes"
	not x.protocol in {"icmp", "unknown"}
	x.source == "internet"
	ports := _open(x)
	count(ports) > 0
}

deny contains zg.finding(meta.id, x.at, _unresolvable_msg(x)) if {
	some x in _rules
	_candidate(x)
	x.source == "unresolvable"
	count(_open(x)) > 0
}

# Unknown until apply: the source, the ports or the access/direction of a rule that could open a management port.
deny contains zg.unknown_finding(meta.id, x.at, concat("", ["security rule ", x.name, " source_address_prefix"])) if {
	some x in _rules
	_candidate(x)
	x.source == "unknown"
	_maybe_open(x)
}

deny contains zg.unknown_finding(meta.id, x.at, concat("", ["security rule ", x.name, " destination_port_range"])) if {
	some x in _rules
	_candidate(x)
	x.source == "internet"
	x.ports_unknown
	count(_open(x)) == 0
}

deny contains zg.unknown_finding(meta.id, x.at, concat("", ["security rule ", x.name, " access/direction/protocol"])) if {
	some x in _rules
	x.allow_inbound == "unknown"
	x.source == "internet"
	count(_open(x)) > 0
}

deny contains zg.unknown_finding(meta.id, x.at, concat("", ["security rule ", x.name, " access/direction/protocol"])) if {
	some x in _rules
	x.allow_inbound == "yes"
	x.protocol == "unknown"
	x.source == "internet"
	count(_open(x)) > 0
}

_maybe_open(x) if count(_open(x)) > 0

_maybe_open(x) if x.ports_unknown
