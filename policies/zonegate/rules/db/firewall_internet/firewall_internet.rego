# METADATA
# title: "Data store firewalls do not open to the internet or to all of Azure"
# description: "A firewall rule starting at 0.0.0.0 (Azure's 'allow Azure services' sentinel, or any range from 0.0.0.0) admits every Azure customer's traffic; a public range wider than a /24 admits the internet. Applies to Azure SQL, PostgreSQL Flexible Server and Redis firewall rules and to Cosmos DB ip_range_filter. Addresses are compared as numbers and CIDR blocks, not as strings."
# custom:
#   id: ZG-DB-003
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Remove the rule (use private endpoints); allow only private ranges or individual partner addresses (at most a /24 of public space)."
#   construct: constructs/private-endpoint.ts
#   peers: {"checkov": ["CKV_AZURE_11", "CKV2_AZURE_34", "CKV2_AZURE_26", "CKV_AZURE_99"], "trivy": ["AVD-AZU-0029"]}
#   resource_types: ["azurerm_mssql_firewall_rule", "azurerm_postgresql_flexible_server_firewall_rule", "azurerm_redis_firewall_rule", "azurerm_cosmosdb_account"]
#   stricter_than_peers: "checkov CKV_AZURE_11 fails only 0.0.0.0-255.255.255.255; we also deny the 0.0.0.0 'Azure services' rule and any public range wider than a /24."
#   mutations:
#     - {"type": "azurerm_mssql_firewall_rule", "where": {"type": "azurerm_resource_group"}, "add": {"name": "fw-mutation", "start_ip_address": "10.1.0.0", "end_ip_address": "10.1.0.255"}, "set": {"start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}}
#     - {"type": "azurerm_postgresql_flexible_server_firewall_rule", "where": {"type": "azurerm_resource_group"}, "add": {"name": "fw-mutation", "start_ip_address": "10.1.0.0", "end_ip_address": "10.1.0.255"}, "set": {"start_ip_address": "1.0.0.0", "end_ip_address": "126.255.255.255"}}
#     - {"type": "azurerm_redis_firewall_rule", "where": {"type": "azurerm_resource_group"}, "add": {"name": "fw_mutation", "start_ip": "10.1.0.0", "end_ip": "10.1.0.255"}, "unknown": ["start_ip"]}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "offer_type": "Standard", "ip_range_filter": ["10.0.0.0/16"]}, "set": {"ip_range_filter": ["10.0.0.0/16", "0.0.0.0"]}}
package zonegate.rules.db.firewall_internet

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_rules := {
	"azurerm_mssql_firewall_rule": ["start_ip_address", "end_ip_address"],
	"azurerm_postgresql_flexible_server_firewall_rule": ["start_ip_address", "end_ip_address"],
	"azurerm_redis_firewall_rule": ["start_ip", "end_ip"],
}

_private := ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]

# _ip(s) is a dotted IPv4 address as a number; undefined when s is not one.
_ip(s) := n if {
	parts := regex.find_all_string_submatch_n(`^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$`, trim_space(s), 1)[0]
	o := [to_number(parts[k]) | some k in [1, 2, 3, 4]]
	every x in o {
		x <= 255
	}
	n := (((((o[0] * 256) + o[1]) * 256) + o[2]) * 256) + o[3]
}

_in_one_private(a, b) if {
	some c in _private
	net.cidr_contains(c, a)
	net.cidr_contains(c, b)
}

# _open(a, b) is why the range a..b is internet-style; undefined when it is not.
_open(a, _) := "starts at 0.0.0.0 (all of Azure, or everything)" if _ip(a) == 0

_open(a, b) := sprintf("spans %d public addresses (wider than a /24)", [(_ip(b) - _ip(a)) + 1]) if {
	_ip(a) > 0
	_ip(b) - _ip(a) >= 256
	not _in_one_private(a, b)
}

_open(a, b) := "is not a valid IPv4 range" if not _valid(a, b)

_valid(a, b) if _ip(b) >= _ip(a)

deny contains zg.finding(meta.id, i, msg) if {
	some t, names in _rules
	some [i, r] in zg.resources(t)
	zg.managed(r)
	a := r.values[names[0]]
	b := r.values[names[1]]
	is_string(a)
	is_string(b)
	why := _open(a, b)
	msg := sprintf("firewall rule %s-%s %s", [a, b, why])
}

deny contains zg.unknown_finding(meta.id, i, n) if {
	some t, names in _rules
	some [i, r] in zg.resources(t)
	zg.managed(r)
	some n in names
	not _is_string_at(r, n)
	not zg.referenced(r, n)
	zg.unknown(r, n)
}

_is_string_at(r, n) if is_string(r.values[n])

# Cosmos DB ip_range_filter: a list of IPs/CIDRs (azurerm v4) or one comma-separated string (v3).
_filters(r) := [trim_space(x) | some x in r.values.ip_range_filter; is_string(x)] if is_array(r.values.ip_range_filter)

_filters(r) := [trim_space(x) | some x in split(r.values.ip_range_filter, ","); trim_space(x) != ""] if is_string(r.values.ip_range_filter)

_cidr_open(x) := "is 0.0.0.0 (accept connections from all of Azure)" if x == "0.0.0.0"

_cidr_open(x) := sprintf("is a public range wider than a /24 (%s)", [x]) if {
	parts := split(x, "/")
	count(parts) == 2
	to_number(parts[1]) < 24
	not _cidr_private(x)
}

_cidr_open(x) := "is not an IPv4 address or CIDR" if not regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$`, x)

_cidr_private(x) if {
	some c in _private
	net.cidr_contains(c, x)
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_cosmosdb_account")
	zg.managed(r)
	some x in _filters(r)
	why := _cidr_open(x)
	msg := sprintf("Cosmos DB ip_range_filter entry %s %s", [x, why])
}

deny contains zg.unknown_finding(meta.id, i, "ip_range_filter") if {
	some [i, r] in zg.resources("azurerm_cosmosdb_account")
	zg.managed(r)
	zg.unknown(r, "ip_range_filter")
}
