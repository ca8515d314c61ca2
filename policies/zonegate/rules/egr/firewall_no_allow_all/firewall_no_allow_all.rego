# METADATA
# title: "Egress firewall rules allow named destinations only"
# description: "An application rule to * or a network rule to any address on any port turns the firewall into an open door (PCI DSS 1.3.2, 1.2.5, 1.4.2): outbound traffic is restricted to what is necessary. Firewall policy rule collection groups may not allow a destination FQDN of *, nor a network rule whose destination addresses include * (or 0.0.0.0/0) together with destination port *."
# custom:
#   id: ZG-EGR-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.2.5", "1.3.2", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "List the host names workloads need in the tenant's egress.allowedFqdns (tenants/<id>.yaml); constructs/egress-firewall.ts rejects *."
#   construct: constructs/egress-firewall.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_firewall_policy_rule_collection_group"]
#   mutations:
#     - {"type": "azurerm_firewall_policy_rule_collection_group", "path": "application_rule_collection.0.rule.0.destination_fqdns", "set": ["*"]}
#     - {"type": "azurerm_firewall_policy_rule_collection_group", "set": {"network_rule_collection.0.rule.0.destination_addresses": ["*"], "network_rule_collection.0.rule.0.destination_ports": ["*"]}}
package zonegate.rules.egr.firewall_no_allow_all

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_any_address := {"*", "0.0.0.0/0", "any", "internet"}

_allows(c) if lower(object.get(c, "action", "Allow")) == "allow"

_open_app(g) if {
	some c in zg.blocks(g.values, "application_rule_collection")
	_allows(c)
	some r in zg.blocks(c, "rule")
	some f in object.get(r, "destination_fqdns", [])
	trim_space(f) == "*"
}

_open_net(g) if {
	some c in zg.blocks(g.values, "network_rule_collection")
	_allows(c)
	some r in zg.blocks(c, "rule")
	some a in object.get(r, "destination_addresses", [])
	_any_address[lower(trim_space(a))]
	some p in object.get(r, "destination_ports", [])
	trim_space(p) == "*"
}

deny contains zg.finding(meta.id, i, "Firewall application rule allows every destination (*)") if {
	some [i, g] in zg.resources("azurerm_firewall_policy_rule_collection_group")
	zg.managed(g)
	_open_app(g)
}

deny contains zg.finding(meta.id, i, "Firewall network rule allows any address on any port") if {
	some [i, g] in zg.resources("azurerm_firewall_policy_rule_collection_group")
	zg.managed(g)
	_open_net(g)
}
