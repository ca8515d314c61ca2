package zonegate.rules.db.public_network_access_test

import data.zonegate.rules.db.public_network_access
import data.zonegate.testlib as tl
import rego.v1

test_deny_db_public_access if {
	rs := [
		tl.res("azurerm_mssql_server", "s", {"public_network_access_enabled": true}),
		tl.res("azurerm_postgresql_flexible_server", "p", {}),
		tl.res("azurerm_redis_cache", "r", {}),
		tl.res("azurerm_cosmosdb_account", "c", {"public_network_access_enabled": true}),
	]
	count(public_network_access.deny) == 4 with input as tl.mk(rs)
}

test_allow_db_public_access if {
	rs := [
		tl.res("azurerm_mssql_server", "s", {"public_network_access_enabled": false}),
		tl.res("azurerm_postgresql_flexible_server", "p", {"public_network_access_enabled": false}),
	]
	count(public_network_access.deny) == 0 with input as tl.mk(rs)
}

test_unknown_db_public_access if {
	some f in public_network_access.deny with input as tl.mk([tl.unk(tl.res("azurerm_redis_cache", "r", {}), ["public_network_access_enabled"])])
	f.unknown
}
