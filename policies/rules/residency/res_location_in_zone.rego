# METADATA
# title: "Resources are deployed in the tenant's residency zone"
# description: "Personal and cardholder data must stay in the regions of the tenant's residency zone (GDPR Chapter V transfers). `global` is allowed only for types listed in data.residency.global_location_types."
# custom:
#   id: ZG-RES-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46", "49"], "sox": []}
#   enforcement: mandatory
#   remediation: "Deploy only to regions of the tenant's zone (policies/data/residency.json); tenants/*.yaml regions are validated against the same catalogue."
#   construct: constructs/tenant-foundation.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_*"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "location", "set": "eastus"}
#     - {"type": "azurerm_key_vault", "path": "location", "unknown": true}
#     - {"type": "azurerm_storage_account", "path": "location", "set": "global"}
package zonegate.rules.res_location_in_zone

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_allowed(_, loc, zone) if zg.in_zone(loc, zone)

_allowed(t, loc, _) if {
	zg.norm_region(loc) == "global"
	t in data.residency.global_location_types
}

# [index, type, resource] of every managed azurerm resource with a tenant residency: a list (by_type holds
# each index once), not a set, which would hash every resource object deeply.
_candidates := [[i, t, r] |
	some t, idxs in input.by_type
	startswith(t, "azurerm_")
	some i in idxs
	r := input.resources[i]
	zg.managed(r)
	is_string(r.tenant.residency)
]

deny contains zg.finding(meta.id, i, msg) if {
	some [i, t, r] in _candidates
	loc := r.values.location
	is_string(loc)
	not _allowed(t, loc, r.tenant.residency)
	msg := sprintf("location %s is outside residency zone %s", [loc, r.tenant.residency])
}

deny contains zg.unknown_finding(meta.id, i, "location") if {
	some [i, _, r] in _candidates
	zg.unknown(r, "location")
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, _, r] in _candidates
	not data.residency.zones[r.tenant.residency]
	msg := sprintf("tenant residency zone %s is not in the residency catalogue", [r.tenant.residency])
}
