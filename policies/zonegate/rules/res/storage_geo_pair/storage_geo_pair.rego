# METADATA
# title: "Geo-replicated storage replicates only within the residency zone"
# description: "GRS/RA-GRS/GZRS/RA-GZRS copy every blob to the region's Azure pair; the pair must also be in the tenant's zone (e.g. Brazil South pairs with South Central US)."
# custom:
#   id: ZG-RES-002
#   severity: critical
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use ZRS/LRS, or a region whose Azure pair is in the tenant's zone (policies/data/residency.json pairs)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_storage_account"]
#   mutations:
#     - {"type": "azurerm_storage_account", "set": {"location": "brazilsouth", "account_replication_type": "GRS"}}
#     - {"type": "azurerm_storage_account", "set": {"location": "brazilsouth", "account_replication_type": "RAGZRS"}}
#     - {"type": "azurerm_storage_account", "path": "account_replication_type", "unknown": true}
package zonegate.rules.res.storage_geo_pair

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_geo := {"GRS", "RAGRS", "GZRS", "RAGZRS"}

_pair_in_zone(r) if zg.in_zone(zg.pair_of(r.values.location), r.tenant.residency)

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
	upper(zg.attr(r, "account_replication_type")) in _geo
	is_string(r.values.location)
	not _pair_in_zone(r)
	msg := sprintf("geo-replicated storage in %s replicates to a paired region outside residency zone %s", [r.values.location, r.tenant.residency])
}

deny contains zg.unknown_finding(meta.id, i, "account_replication_type") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
	zg.unknown(r, "account_replication_type")
}
