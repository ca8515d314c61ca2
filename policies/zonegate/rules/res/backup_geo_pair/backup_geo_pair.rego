# METADATA
# title: "Geo-redundant backups stay in the residency zone"
# description: "A Recovery Services vault is GeoRedundant by default and copies backups to the paired region; that pair must be in the tenant's zone."
# custom:
#   id: ZG-RES-004
#   severity: high
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set storage_mode_type = \"ZoneRedundant\" or \"LocallyRedundant\" unless the region's pair is in the tenant's zone."
#   construct: constructs/tenant-foundation.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_recovery_services_vault"]
#   mutations:
#     - {"type": "azurerm_recovery_services_vault", "where": {"type": "azurerm_resource_group"}, "add": {"name": "rsv-mutation", "location": "brazilsouth", "sku": "Standard"}}
#     - {"type": "azurerm_recovery_services_vault", "where": {"type": "azurerm_resource_group"}, "add": {"name": "rsv-mutation", "location": "brazilsouth", "sku": "Standard", "storage_mode_type": "ZoneRedundant"}, "set": {"storage_mode_type": "GeoRedundant"}}
#     - {"type": "azurerm_recovery_services_vault", "where": {"type": "azurerm_resource_group", "tenant.residency": "ch"}, "add": {"name": "rsv-mutation", "location": "switzerlandnorth", "sku": "Standard"}, "unknown": ["storage_mode_type"]}
package zonegate.rules.res.backup_geo_pair

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_pair_in_zone(r) if zg.in_zone(zg.pair_of(r.values.location), r.tenant.residency)

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_recovery_services_vault")
	zg.managed(r)
	zg.value(r, "storage_mode_type", "GeoRedundant") == "GeoRedundant"
	is_string(r.values.location)
	not _pair_in_zone(r)
	msg := sprintf("geo-redundant backup vault in %s replicates outside residency zone %s", [r.values.location, r.tenant.residency])
}

deny contains zg.unknown_finding(meta.id, i, "storage_mode_type") if {
	some [i, r] in zg.resources("azurerm_recovery_services_vault")
	zg.managed(r)
	zg.unknown(r, "storage_mode_type")
}
