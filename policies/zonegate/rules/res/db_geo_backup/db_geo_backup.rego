# METADATA
# title: "Geo-redundant database backups stay in the residency zone"
# description: "Azure SQL databases (backup storage Geo/GeoZone by default), PostgreSQL Flexible Server with geo-redundant backup and Cosmos DB periodic backups on Geo storage copy backups to the Azure paired region; that pair must be in the zone (e.g. Brazil South pairs with South Central US; Italy North has no pair)."
# custom:
#   id: ZG-RES-005
#   severity: critical
#   frameworks: {"pci-dss-4.0": [], "gdpr": ["44", "45", "46"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use zone-redundant or locally redundant backup storage (storage_account_type = \"Zone\"/\"Local\", geo_redundant_backup_enabled = false, backup.storage_redundancy = \"Zone\"/\"Local\") unless the region's pair is in the zone (policies/data/residency.json pairs)."
#   construct: policies/data/services.json
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_mssql_database", "azurerm_postgresql_flexible_server", "azurerm_cosmosdb_account"]
#   mutations:
#     - {"type": "azurerm_postgresql_flexible_server", "where": {"type": "azurerm_resource_group", "tenant.residency": "ch"}, "add": {"name": "pg-mutation", "location": "switzerlandnorth", "version": "16", "geo_redundant_backup_enabled": false}, "set": {"location": "italynorth", "geo_redundant_backup_enabled": true}}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group", "tenant.residency": "eu"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "offer_type": "Standard", "backup": [{"type": "Periodic", "storage_redundancy": "Local"}]}, "set": {"location": "italynorth", "backup.0.storage_redundancy": "Geo"}}
#     - {"type": "azurerm_mssql_database", "where": {"type": "azurerm_resource_group"}, "add": {"name": "db-mutation", "server_id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/not-in-input", "storage_account_type": "Local"}, "delete": ["storage_account_type"]}
#     - {"type": "azurerm_postgresql_flexible_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "pg-mutation", "location": "westeurope", "version": "16"}, "unknown": ["geo_redundant_backup_enabled"]}
package zonegate.rules.res.db_geo_backup

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_pair_in_zone(loc, zone) if zg.in_zone(zg.pair_of(loc), zone)

_check(i, r, loc, what) := zg.finding(meta.id, i, msg) if {
	z := zg.zone(r)
	not _pair_in_zone(loc, z)
	msg := sprintf("%s in %s are copied to its paired region (%s), outside residency zone %s", [what, loc, object.get(data.residency.pairs, zg.norm_region(loc), "none"), z])
}

# SQL server key → location, and lower-cased server id → location (a database has no location of its own).
_server_loc[s.key] := s.values.location if {
	some [_, s] in zg.resources("azurerm_mssql_server")
	is_string(s.values.location)
}

_server_loc_by_id[lower(s.values.id)] := s.values.location if {
	some [_, s] in zg.resources("azurerm_mssql_server")
	is_string(s.values.location)
	is_string(s.values.id)
}

_db_loc(db) := loc if {
	locs := _server_loc
	some k in zg.refs_to(db, "server_id")
	loc := locs[k]
}

_db_loc(db) := loc if {
	not _db_ref_loc(db)
	locs := _server_loc_by_id
	loc := locs[lower(db.values.server_id)]
}

_db_ref_loc(db) if {
	locs := _server_loc
	some k in zg.refs_to(db, "server_id")
	locs[k]
}

_geo := {"geo", "geozone"}

deny contains f if {
	some [i, r] in zg.resources("azurerm_mssql_database")
	zg.managed(r)
	_geo[lower(zg.value(r, "storage_account_type", "Geo"))]
	loc := _db_loc(r)
	f := _check(i, r, loc, "SQL database backups")
}

deny contains zg.finding(meta.id, i, "SQL database backups are geo-redundant but its server's region is not in the input, so where they are copied cannot be decided") if {
	some [i, r] in zg.resources("azurerm_mssql_database")
	zg.managed(r)
	_geo[lower(zg.value(r, "storage_account_type", "Geo"))]
	not _db_loc(r)
}

deny contains f if {
	some [i, r] in zg.resources("azurerm_postgresql_flexible_server")
	zg.managed(r)
	zg.value(r, "geo_redundant_backup_enabled", false) == true
	is_string(r.values.location)
	f := _check(i, r, r.values.location, "PostgreSQL geo-redundant backups")
}

deny contains f if {
	some [i, r] in zg.resources("azurerm_cosmosdb_account")
	zg.managed(r)
	zg.value(r, "backup.type", "Periodic") == "Periodic"
	zg.value(r, "backup.storage_redundancy", "Geo") == "Geo"
	is_string(r.values.location)
	f := _check(i, r, r.values.location, "Cosmos DB periodic backups")
}

deny contains zg.unknown_finding(meta.id, i, p) if {
	some [t, p] in [
		["azurerm_mssql_database", "storage_account_type"],
		["azurerm_postgresql_flexible_server", "geo_redundant_backup_enabled"],
		["azurerm_cosmosdb_account", "backup.storage_redundancy"],
	]
	some [i, r] in zg.resources(t)
	zg.managed(r)
	zg.unknown(r, p)
}
