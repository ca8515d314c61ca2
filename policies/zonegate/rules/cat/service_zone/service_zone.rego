# METADATA
# title: "Services are approved for the residency zone they are used in"
# description: "The catalogue decides per zone where a service may hold or move tenant data. Global services that terminate TLS at edge locations worldwide (Front Door, CDN) are approved for no zone; others list their zones explicitly."
# custom:
#   id: ZG-CAT-003
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["12.5.2"], "gdpr": ["44", "45", "46"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use a service approved for the tenant's zone (policies/data/services.json zones), e.g. Application Gateway behind API Management instead of Front Door."
#   construct: policies/data/services.json
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_cdn_frontdoor_profile", "azurerm_cdn_frontdoor_endpoint", "azurerm_cdn_profile", "azurerm_cdn_endpoint", "azurerm_frontdoor", "azapi_resource"]
#   mutations:
#     - {"type": "azurerm_cdn_frontdoor_profile", "where": {"type": "azurerm_resource_group"}, "add": {"name": "afd-mutation", "sku_name": "Premium_AzureFrontDoor"}}
#     - {"type": "azurerm_cdn_profile", "where": {"type": "azurerm_resource_group", "tenant.residency": "us"}, "add": {"name": "cdn-mutation", "location": "global", "sku": "Standard_Microsoft"}}
package zonegate.rules.cat.service_zone

import data.zonegate.lib as zg
import data.zonegate.lib.catalogue as cat
import rego.v1

meta := zg.meta(rego.metadata.chain())

# Input types whose resources may be restricted to some zones (computed once per type).
_restricted contains t if {
	some t, _ in input.by_type
	is_array(data.services[t].zones)
}

_restricted contains t if {
	some t, _ in input.by_type
	data.services[t].arm == true
}

deny contains zg.finding(meta.id, i, msg) if {
	some t in _restricted
	some [i, r] in zg.resources(t)
	zg.managed(r)
	zones := cat.entry(r).zones
	is_array(zones)
	z := zg.zone(r)
	not z in zones
	msg := sprintf("%s is not approved for residency zone %s (approved zones: %s)", [cat.entry_type(r), z, _list(zones)])
}

_list(zones) := "none" if count(zones) == 0

_list(zones) := concat(", ", zones) if count(zones) > 0
