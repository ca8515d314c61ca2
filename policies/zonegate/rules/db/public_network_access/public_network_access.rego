# METADATA
# title: "Approved data stores are not reachable from public networks"
# description: "Azure SQL, PostgreSQL Flexible Server, Redis and Cosmos DB default to public network access; cardholder data stores must be reachable only through private endpoints or VNet integration."
# custom:
#   id: ZG-DB-002
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set public_network_access_enabled = false and reach the data store through a private endpoint (constructs/private-endpoint.ts) or a delegated subnet."
#   construct: constructs/private-endpoint.ts
#   peers: {"checkov": ["CKV_AZURE_113", "CKV_AZURE_89", "CKV_AZURE_101"], "trivy": ["AVD-AZU-0022"]}
#   resource_types: ["azurerm_mssql_server", "azurerm_postgresql_flexible_server", "azurerm_redis_cache", "azurerm_cosmosdb_account"]
#   mutations:
#     - {"type": "azurerm_mssql_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "sql-mutation", "location": "westeurope", "version": "12.0", "minimum_tls_version": "1.2", "public_network_access_enabled": false}, "set": {"public_network_access_enabled": true}}
#     - {"type": "azurerm_postgresql_flexible_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "pg-mutation", "location": "westeurope", "version": "16", "public_network_access_enabled": false}, "delete": ["public_network_access_enabled"]}
#     - {"type": "azurerm_redis_cache", "where": {"type": "azurerm_resource_group"}, "add": {"name": "redis-mutation", "location": "westeurope", "sku_name": "Premium", "family": "P", "capacity": 1, "minimum_tls_version": "1.2", "public_network_access_enabled": false}, "unknown": ["public_network_access_enabled"]}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "offer_type": "Standard", "public_network_access_enabled": false}, "set": {"public_network_access_enabled": true}}
package zonegate.rules.db.public_network_access

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_names := {
	"azurerm_mssql_server": "Azure SQL server",
	"azurerm_postgresql_flexible_server": "PostgreSQL Flexible Server",
	"azurerm_redis_cache": "Redis cache",
	"azurerm_cosmosdb_account": "Cosmos DB account",
}

deny contains zg.check(meta.id, i, r, "public_network_access_enabled", {false}, true, msg) if {
	some t, name in _names
	some [i, r] in zg.resources(t)
	zg.managed(r)
	msg := sprintf("%s allows public network access (public_network_access_enabled defaults to true)", [name])
}
