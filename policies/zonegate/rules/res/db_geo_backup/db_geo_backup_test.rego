package zonegate.rules.res.db_geo_backup_test

import data.zonegate.rules.res.db_geo_backup
import data.zonegate.testlib as tl
import rego.v1

_br(r) := tl.tenant_with(r, {"residency": "br"})

test_deny_res_db_geo_backup_sql_default if {
	s := _br(tl.res("azurerm_mssql_server", "s", {"location": "brazilsouth"}))
	d := _br(tl.ref(tl.res("azurerm_mssql_database", "d", {}), "server_id", s))
	fs := db_geo_backup.deny with input as tl.mk([s, d])
	count(fs) == 1
	some f in fs
	f.message == "SQL database backups in brazilsouth are copied to its paired region (southcentralus), outside residency zone br"
}

test_deny_res_db_geo_backup_sql_by_id if {
	s := _br(tl.res("azurerm_mssql_server", "s", {"location": "brazilsouth", "id": "/x/servers/s"}))
	d := _br(tl.res("azurerm_mssql_database", "d", {"server_id": "/X/servers/s", "storage_account_type": "GeoZone"}))
	count(db_geo_backup.deny) == 1 with input as tl.mk([s, d])
}

test_deny_res_db_geo_backup_sql_unresolved if {
	count(db_geo_backup.deny) == 1 with input as tl.mk([tl.res("azurerm_mssql_database", "d", {"server_id": "/x/servers/elsewhere"})])
}

test_deny_res_db_geo_backup_pg_and_cosmos if {
	rs := [
		tl.res("azurerm_postgresql_flexible_server", "p", {"location": "italynorth", "geo_redundant_backup_enabled": true}),
		_br(tl.res("azurerm_cosmosdb_account", "c", {"location": "brazilsouth"})),
	]
	count(db_geo_backup.deny) == 2 with input as tl.mk(rs)
}

test_allow_res_db_geo_backup if {
	s := _br(tl.res("azurerm_mssql_server", "s", {"location": "brazilsouth"}))
	rs := [
		s,
		_br(tl.ref(tl.res("azurerm_mssql_database", "d", {"storage_account_type": "Zone"}), "server_id", s)),
		tl.ref(tl.res("azurerm_mssql_database", "d2", {}), "server_id", tl.res("azurerm_mssql_server", "we", {"location": "westeurope"})),
		tl.res("azurerm_mssql_server", "we", {"location": "westeurope"}),
		tl.res("azurerm_postgresql_flexible_server", "p", {"location": "italynorth"}),
		_br(tl.res("azurerm_cosmosdb_account", "c", {"location": "brazilsouth", "backup": [{"type": "Continuous"}]})),
		_br(tl.res("azurerm_cosmosdb_account", "c2", {"location": "brazilsouth", "backup": {"type": "Periodic", "storage_redundancy": "Local"}})),
	]
	count(db_geo_backup.deny) == 0 with input as tl.mk(rs)
}

test_unknown_res_db_geo_backup if {
	some f in db_geo_backup.deny with input as tl.mk([tl.unk(tl.res("azurerm_postgresql_flexible_server", "p", {"location": "westeurope"}), ["geo_redundant_backup_enabled"])])
	f.unknown
}
