# METADATA
# title: "NSGs never allow management ports from the internet"
# description: "Inbound Allow rules from any/Internet/0.0.0.0/0/::/0 to SSH, RDP, WinRM, database, Kubernetes API, kubelet or Docker ports expose administrative interfaces to the internet."
# custom:
#   id: ZG-NET-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Restrict source_address_prefix(es) to known ranges or use Bastion / private endpoints (constructs/landing-zone-network.ts creates deny-by-default NSGs)."
#   construct: constructs/landing-zone-network.ts
#   peers: {"checkov": ["CKV_AZURE_10", "CKV_AZURE_9"], "trivy": ["AVD-AZU-0047", "AVD-AZU-0048"]}
#   resource_types: ["azurerm_network_security_group", "azurerm_network_security_rule"]
#   stricter_than_peers: "checkov matches ports only where it parses them and misses some internet sources (e.g. 0.0.0.0/0 in places); we treat *, 0.0.0.0, 0.0.0.0/0, ::/0, /0, any and Internet as the internet and cover 20 management ports, ranges, * and destination_port_ranges lists."
#   mutations:
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefix": "Internet", "destination_port_range": "22"}, "delete": ["source_address_prefixes", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "1-65535"}, "delete": ["source_address_prefixes", "destination_port_ranges"]}
#     - {"type": "azurerm_network_security_rule", "set": {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "source_address_prefixes": ["10.0.0.0/8", "0.0.0.0/0"], "destination_port_ranges": ["443", "3389"]}, "delete": ["source_address_prefix", "destination_port_range"]}
#     - {"type": "azurerm_network_security_group", "set": {"security_rule.0.name": "mutation-ssh", "security_rule.0.access": "Allow", "security_rule.0.direction": "Inbound", "security_rule.0.protocol": "Tcp", "security_rule.0.source_address_prefix": "Internet", "security_rule.0.destination_port_range": "22"}}
package zonegate.rules.nsg_internet_mgmt_ports

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_internet := {"*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "::/0", "/0"}

_ports := [22, 23, 3389, 5985, 5986, 1433, 1521, 3306, 5432, 6379, 27017, 6443, 2375, 2376, 2379, 2380, 10250, 10255, 9000, 445]

_from_internet(x) if lower(trim_space(x.source_address_prefix)) in _internet

_from_internet(x) if {
	some s in x.source_address_prefixes
	lower(trim_space(s)) in _internet
}

_specs(x) := array.concat([p | p := x.destination_port_range; p != null], [p | some p in object.get(x, "destination_port_ranges", []); p != null])

_covers(spec, p) if spec == p

_covers(spec, _) if trim_space(spec) == "*"

_covers(spec, p) if zg.num(trim_space(spec)) == p

_covers(spec, p) if {
	parts := split(spec, "-")
	count(parts) == 2
	zg.num(trim_space(parts[0])) <= p
	p <= zg.num(trim_space(parts[1]))
}

_open(x) := [format_int(p, 10) |
	some p in _ports
	some spec in _specs(x)
	_covers(spec, p)
]

_bad(x) := ports if {
	lower(x.access) == "allow"
	lower(x.direction) == "inbound"
	lower(object.get(x, "protocol", "*")) != "icmp"
	_from_internet(x)
	ports := _open(x)
	count(ports) > 0
}

_msg(x, ports) := concat("", ["Inbound rule ", object.get(x, "name", "?"), " allows the internet to management port(s) ", concat(",", {p | some p in ports})])

deny contains zg.finding(meta.id, i, _msg(r.values, ports)) if {
	some [i, r] in zg.resources("azurerm_network_security_rule")
	zg.managed(r)
	ports := _bad(r.values)
}

deny contains zg.finding(meta.id, i, _msg(x, ports)) if {
	some [i, r] in zg.resources("azurerm_network_security_group")
	zg.managed(r)
	some x in zg.blocks(r.values, "security_rule")
	ports := _bad(x)
}
