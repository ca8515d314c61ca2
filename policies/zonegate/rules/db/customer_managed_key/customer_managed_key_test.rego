package zonegate.rules.db.customer_managed_key_test

import data.zonegate.rules.db.customer_managed_key
import data.zonegate.testlib as tl
import rego.v1

test_deny_db_cmk if {
	rs := [
		tl.res("azurerm_mssql_server", "s", {}),
		tl.res("azurerm_postgresql_flexible_server", "p", {"geo_redundant_backup_enabled": true, "customer_managed_key": [{"key_vault_key_id": "k"}]}),
		tl.res("azurerm_cosmosdb_account", "c", {}),
	]
	count(customer_managed_key.deny) == 3 with input as tl.mk(rs)
}

test_deny_db_cmk_tde_without_key if {
	s := tl.res("azurerm_mssql_server", "s", {})
	t := tl.ref(tl.res("azurerm_mssql_server_transparent_data_encryption", "t", {}), "server_id", s)
	count(customer_managed_key.deny) == 1 with input as tl.mk([s, t])
}

test_allow_db_cmk if {
	s1 := tl.res("azurerm_mssql_server", "s1", {"transparent_data_encryption_key_vault_key_id": "k"})
	s2 := tl.res("azurerm_mssql_server", "s2", {})
	s3 := tl.res("azurerm_mssql_server", "s3", {"id": "/SUBS/x/servers/s3"})
	t2 := tl.ref(tl.res("azurerm_mssql_server_transparent_data_encryption", "t2", {"key_vault_key_id": "k"}), "server_id", s2)
	t3 := tl.res("azurerm_mssql_server_transparent_data_encryption", "t3", {"server_id": "/subs/x/servers/s3", "managed_hsm_key_id": "k"})
	p := tl.res("azurerm_postgresql_flexible_server", "p", {"geo_redundant_backup_enabled": true, "customer_managed_key": [{"key_vault_key_id": "k", "geo_backup_key_vault_key_id": "g"}]})
	c := tl.unk(tl.res("azurerm_cosmosdb_account", "c", {}), ["key_vault_key_id"])
	count(customer_managed_key.deny) == 0 with input as tl.mk([s1, s2, s3, t2, t3, p, c])
}
