# METADATA
# title: "Every data location of every resource is in the residency zone"
# description: "Personal and cardholder data must stay in the regions of the residency zone (GDPR Chapter V transfers): the tenant's zone, or for platform (shared) stacks the zone of their region (or --residency). Every location path the approved-services catalogue lists for a type is checked, nested ones included (geo-replicas, failover regions, additional gateway regions, azapi body locations); `global` only for types the catalogue or data.residency.global_location_types marks global."
# custom:
#   id: ZG-RES-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46", "49"], "sox": []}
#   enforcement: mandatory
#   remediation: "Deploy only to regions of the tenant's zone (policies/data/residency.json); tenants/*.yaml regions are validated against the same catalogue."
#   construct: constructs/tenant-foundation.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_*", "azapi_resource", "azapi_update_resource"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "location", "set": "eastus"}
#     - {"type": "azurerm_key_vault", "path": "location", "unknown": true}
#     - {"type": "azurerm_storage_account", "path": "location", "set": "global"}
#     - {"type": "azurerm_kubernetes_cluster", "where": {"context.platform": true}, "path": "location", "set": "westeurope"}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group", "tenant.residency": "eu"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "geo_location": [{"location": "westeurope", "failover_priority": 0}]}, "set": {"geo_location.1": {"location": "eastus", "failover_priority": 1}}}
#     - {"type": "azapi_resource", "where": {"type": "azurerm_resource_group", "tenant.residency": "eu"}, "add": {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31", "name": "id-mutation", "body": {"location": "westeurope"}}, "set": {"body.location": "eastus"}}
package zonegate.rules.res.location_in_zone

import data.zonegate.lib as zg
import data.zonegate.lib.catalogue as cat
import rego.v1

meta := zg.meta(rego.metadata.chain())

_allowed(_, loc, zone) if zg.in_zone(loc, zone)

_allowed(r, loc, _) if {
	zg.norm_region(loc) == "global"
	cat.global_ok(r)
}

# [index, resource, location paths] of every managed resource whose type has location paths: a list
# (by_type holds each index once), not a set, which would hash every resource object deeply.
_candidates := [[i, r, ps] |
	some t, ps in cat.type_paths
	some i in input.by_type[t]
	r := input.resources[i]
	zg.managed(r)
]

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, ps] in _candidates
	z := zg.zone(r)
	some [p, loc] in cat.location_values(r, ps)
	is_string(loc)
	not _allowed(r, loc, z)
	msg := sprintf("%s %s is outside residency zone %s", [p, loc, z])
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, ps] in _candidates
	some [p, loc] in cat.location_values(r, ps)
	not is_string(loc)
	msg := sprintf("%s is not a region name (%v)", [p, loc])
}

deny contains zg.unknown_finding(meta.id, i, p) if {
	some [i, r, ps] in _candidates
	some p in cat.location_paths(r, ps)
	cat.path_unknown(r, p)
}

# An azapi resource of a regional ARM type without any location inherits its resource group's, which the
# input does not show: undecidable, so a finding.
deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, ps] in _candidates
	count(cat.entry(r).location_paths) > 0
	count(cat.location_values(r, ps)) == 0
	not _some_unknown(r, ps)
	msg := sprintf("%s of regional ARM type %s sets no location (azapi would use its parent's, which the gate cannot see)", [r.type, r.values.type])
}

_some_unknown(r, ps) if {
	some p in cat.location_paths(r, ps)
	cat.path_unknown(r, p)
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, ps] in _candidates
	z := zg.zone(r)
	not data.residency.zones[z]
	msg := sprintf("residency zone %s is not in the residency catalogue", [z])
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r, ps] in _candidates
	not zg.zone(r)
	count(cat.location_values(r, ps)) > 0
	msg := sprintf("no residency zone applies to this resource (no tenant, and its stack's region %v is in no zone of policies/data/residency.json): pass --residency or --tenant", [object.get(object.get(r, "context", {}), "region", "unknown")])
}
