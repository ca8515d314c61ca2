# METADATA
# title: "Cardholder data stores are encrypted with a customer-managed key"
# description: "Azure SQL (TDE protector), PostgreSQL Flexible Server (data and geo-backup keys) and Cosmos DB must encrypt stored data with a tenant-controlled key so it can be rotated and crypto-shredded. Redis caches cannot use one and are approved only for data that is not cardholder data (policies/data/services.json)."
# custom:
#   id: ZG-DB-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.5.1", "3.6.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set transparent_data_encryption_key_vault_key_id (or an azurerm_mssql_server_transparent_data_encryption with key_vault_key_id), customer_managed_key { key_vault_key_id, geo_backup_key_vault_key_id } on PostgreSQL, key_vault_key_id on Cosmos DB — keys from constructs/customer-managed-keys.ts."
#   construct: constructs/customer-managed-keys.ts
#   peers: {"checkov": ["CKV_AZURE_100"], "trivy": []}
#   resource_types: ["azurerm_mssql_server", "azurerm_mssql_server_transparent_data_encryption", "azurerm_postgresql_flexible_server", "azurerm_cosmosdb_account"]
#   mutations:
#     - {"type": "azurerm_mssql_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "sql-mutation", "location": "westeurope", "version": "12.0", "transparent_data_encryption_key_vault_key_id": "https://kv.vault.azure.net/keys/k/1"}, "delete": ["transparent_data_encryption_key_vault_key_id"]}
#     - {"type": "azurerm_postgresql_flexible_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "pg-mutation", "location": "westeurope", "version": "16", "geo_redundant_backup_enabled": true, "customer_managed_key": [{"key_vault_key_id": "https://kv.vault.azure.net/keys/k/1", "geo_backup_key_vault_key_id": "https://kv2.vault.azure.net/keys/k/1"}]}, "delete": ["customer_managed_key.0.geo_backup_key_vault_key_id"]}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "offer_type": "Standard", "key_vault_key_id": "https://kv.vault.azure.net/keys/k"}, "delete": ["key_vault_key_id"]}
package zonegate.rules.db.customer_managed_key

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_key_names := ["key_vault_key_id", "managed_hsm_key_id"]

# Keys (and lower-cased ids) of SQL servers with a customer-managed TDE protector resource.
_tde_targets contains k if {
	some [_, t] in zg.resources("azurerm_mssql_server_transparent_data_encryption")
	zg.present(t, _key_names)
	some k in zg.refs_to(t, "server_id")
}

_tde_ids contains lower(t.values.server_id) if {
	some [_, t] in zg.resources("azurerm_mssql_server_transparent_data_encryption")
	zg.present(t, _key_names)
	is_string(t.values.server_id)
}

_sql_cmk(r) if zg.present(r, "transparent_data_encryption_key_vault_key_id")

_sql_cmk(r) if {
	ks := _tde_targets
	ks[r.key]
}

_sql_cmk(r) if {
	ks := _tde_ids
	ks[lower(r.values.id)]
}

deny contains zg.finding(meta.id, i, "Azure SQL server's TDE protector is not a customer-managed key") if {
	some [i, r] in zg.resources("azurerm_mssql_server")
	zg.managed(r)
	not _sql_cmk(r)
}

deny contains zg.finding(meta.id, i, "PostgreSQL Flexible Server data is not encrypted with a customer-managed key") if {
	some [i, r] in zg.resources("azurerm_postgresql_flexible_server")
	zg.managed(r)
	not zg.present(r, "customer_managed_key.key_vault_key_id")
}

deny contains zg.finding(meta.id, i, "PostgreSQL Flexible Server geo-redundant backups are not encrypted with a customer-managed key") if {
	some [i, r] in zg.resources("azurerm_postgresql_flexible_server")
	zg.managed(r)
	zg.value(r, "geo_redundant_backup_enabled", false) != false
	not zg.present(r, "customer_managed_key.geo_backup_key_vault_key_id")
}

deny contains zg.finding(meta.id, i, "Cosmos DB account is not encrypted with a customer-managed key") if {
	some [i, r] in zg.resources("azurerm_cosmosdb_account")
	zg.managed(r)
	not zg.present(r, _key_names)
}
