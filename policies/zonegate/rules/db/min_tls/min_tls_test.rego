package zonegate.rules.db.min_tls_test

import data.zonegate.rules.db.min_tls
import data.zonegate.testlib as tl
import rego.v1

test_deny_db_tls_sql_low if {
	fs := min_tls.deny with input as tl.mk([tl.res("azurerm_mssql_server", "s", {"minimum_tls_version": "1.0"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-DB-001"
}

test_deny_db_tls_absent if {
	count(min_tls.deny) == 2 with input as tl.mk([tl.res("azurerm_mssql_server", "s", {}), tl.res("azurerm_cosmosdb_account", "c", {})])
}

test_deny_db_tls_redis_non_ssl if {
	count(min_tls.deny) == 1 with input as tl.mk([tl.res("azurerm_redis_cache", "r", {"minimum_tls_version": "1.2", "enable_non_ssl_port": true})])
}

test_deny_db_tls_pg_params if {
	rs := [
		tl.res("azurerm_postgresql_flexible_server_configuration", "a", {"name": "ssl_min_protocol_version", "value": "TLSv1.1"}),
		tl.res("azurerm_postgresql_flexible_server_configuration", "b", {"name": "require_secure_transport", "value": "OFF"}),
	]
	count(min_tls.deny) == 2 with input as tl.mk(rs)
}

test_allow_db_tls if {
	rs := [
		tl.res("azurerm_mssql_server", "s", {"minimum_tls_version": "1.2"}),
		tl.res("azurerm_redis_cache", "r", {"minimum_tls_version": "1.2", "non_ssl_port_enabled": false}),
		tl.res("azurerm_cosmosdb_account", "c", {"minimal_tls_version": "Tls12"}),
		tl.res("azurerm_postgresql_flexible_server_configuration", "a", {"name": "ssl_min_protocol_version", "value": "TLSv1.3"}),
		tl.res("azurerm_postgresql_flexible_server_configuration", "b", {"name": "work_mem", "value": "off"}),
	]
	count(min_tls.deny) == 0 with input as tl.mk(rs)
}

test_unknown_db_tls if {
	some f in min_tls.deny with input as tl.mk([tl.unk(tl.res("azurerm_mssql_server", "s", {}), ["minimum_tls_version"])])
	f.unknown
}

test_unknown_db_tls_pg_value if {
	r := tl.unk(tl.res("azurerm_postgresql_flexible_server_configuration", "a", {"name": "ssl_min_protocol_version"}), ["value"])
	some f in min_tls.deny with input as tl.mk([r])
	f.unknown
}
