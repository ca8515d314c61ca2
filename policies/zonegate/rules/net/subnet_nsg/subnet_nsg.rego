# METADATA
# title: "Every subnet has a network security group"
# description: "Subnets without an NSG have no segmentation controls (PCI DSS 1.2/1.3). Gateway, firewall and Bastion subnets are exempt by Azure design. Subnets declared inline in azurerm_virtual_network (subnet blocks) are judged like azurerm_subnet: their security_group must be set."
# custom:
#   id: ZG-NET-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.2.1", "1.3.1", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Associate an NSG with azurerm_subnet_network_security_group_association (constructs/landing-zone-network.ts does it for every subnet)."
#   construct: constructs/landing-zone-network.ts
#   peers: {"checkov": ["CKV2_AZURE_31"], "trivy": []}
#   resource_types: ["azurerm_subnet", "azurerm_subnet_network_security_group_association", "azurerm_virtual_network"]
#   mutations:
#     - {"type": "azurerm_subnet_network_security_group_association", "path": "subnet_id", "delete": true}
#     - {"type": "azurerm_virtual_network", "set": {"subnet": [{"name": "snet-inline", "address_prefixes": ["10.99.0.0/24"]}]}}
#     - {"type": "azurerm_virtual_network", "set": {"subnet": [{"name": "snet-inline", "address_prefixes": ["10.99.0.0/24"], "security_group": null}]}, "unknown": ["subnet.0.security_group"]}
package zonegate.rules.net.subnet_nsg

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_exempt := {"gatewaysubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet", "azurebastionsubnet", "routeserversubnet"}

_assoc_keys contains k if {
	some [_, a] in zg.resources("azurerm_subnet_network_security_group_association")
	zg.present(a, "network_security_group_id")
	some k in zg.refs_to(a, "subnet_id")
}

_assoc_ids contains lower(a.values.subnet_id) if {
	some [_, a] in zg.resources("azurerm_subnet_network_security_group_association")
	is_string(a.values.subnet_id)
}

_has_nsg(r) if {
	ks := _assoc_keys
	ks[r.key]
}

_has_nsg(r) if {
	ks := _assoc_ids
	ks[lower(r.values.id)]
}

_has_nsg(r) if zg.present(r, "network_security_group_id")

# Inline subnets (lib/gate/effective/virtual-network.ts): the finding names the VNet that declares them.
deny contains zg.finding(meta.id, i, concat("", ["Inline subnet ", s.name, " of the virtual network has no network security group"])) if {
	some [i, r] in zg.resources("azurerm_virtual_network")
	zg.managed(r)
	some s in object.get(r, ["effective", "subnets"], [])
	s.nsg == "no"
	not lower(s.name) in _exempt
}

deny contains zg.unknown_finding(meta.id, i, concat("", ["subnet ", s.name, " security_group"])) if {
	some [i, r] in zg.resources("azurerm_virtual_network")
	zg.managed(r)
	some s in object.get(r, ["effective", "subnets"], [])
	s.nsg == "unknown"
	not lower(s.name) in _exempt
}

deny contains zg.finding(meta.id, i, "Subnet has no network security group association") if {
	some [i, r] in zg.resources("azurerm_subnet")
	zg.managed(r)
	not lower(object.get(r.values, "name", "")) in _exempt
	not _has_nsg(r)
}
