# METADATA
# title: "Approved data stores accept only TLS 1.2 or later"
# description: "Azure SQL, Redis and Cosmos DB must refuse TLS 1.0/1.1 (and Redis its plaintext port); PostgreSQL Flexible Server parameters must not lower ssl_min_protocol_version below TLSv1.2 or switch require_secure_transport off. Data in transit between the workloads and the data stores carries cardholder data."
# custom:
#   id: ZG-DB-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["4.2.1", "2.2.7"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set minimum_tls_version = \"1.2\" (azurerm_mssql_server, azurerm_redis_cache), minimal_tls_version = \"Tls12\" (azurerm_cosmosdb_account), non_ssl_port_enabled = false, and leave the PostgreSQL TLS server parameters at their secure defaults."
#   construct: policies/data/services.json
#   peers: {"checkov": ["CKV_AZURE_52", "CKV_AZURE_148", "CKV_AZURE_91"], "trivy": ["AVD-AZU-0026"]}
#   resource_types: ["azurerm_mssql_server", "azurerm_redis_cache", "azurerm_cosmosdb_account", "azurerm_postgresql_flexible_server_configuration"]
#   mutations:
#     - {"type": "azurerm_mssql_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "sql-mutation", "location": "westeurope", "version": "12.0", "minimum_tls_version": "1.2", "public_network_access_enabled": false}, "set": {"minimum_tls_version": "1.0"}}
#     - {"type": "azurerm_mssql_server", "where": {"type": "azurerm_resource_group"}, "add": {"name": "sql-mutation", "location": "westeurope", "version": "12.0", "public_network_access_enabled": false}, "unknown": ["minimum_tls_version"]}
#     - {"type": "azurerm_redis_cache", "where": {"type": "azurerm_resource_group"}, "add": {"name": "redis-mutation", "location": "westeurope", "sku_name": "Premium", "family": "P", "capacity": 1, "minimum_tls_version": "1.2", "public_network_access_enabled": false}, "set": {"non_ssl_port_enabled": true}}
#     - {"type": "azurerm_cosmosdb_account", "where": {"type": "azurerm_resource_group"}, "add": {"name": "cosmos-mutation", "location": "westeurope", "offer_type": "Standard", "minimal_tls_version": "Tls12"}, "set": {"minimal_tls_version": "Tls"}}
#     - {"type": "azurerm_postgresql_flexible_server_configuration", "where": {"type": "azurerm_resource_group"}, "add": {"name": "ssl_min_protocol_version", "value": "TLSv1.2"}, "set": {"value": "TLSv1.1"}}
#     - {"type": "azurerm_postgresql_flexible_server_configuration", "where": {"type": "azurerm_resource_group"}, "add": {"name": "require_secure_transport", "value": "on"}, "set": {"value": "off"}}
package zonegate.rules.db.min_tls

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "minimum_tls_version", {"1.2", "1.3"}, null, "Azure SQL server minimum TLS version is below 1.2 (or not set)") if {
	some [i, r] in zg.resources("azurerm_mssql_server")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, "minimum_tls_version", {"1.2"}, null, "Redis cache minimum TLS version is below 1.2 (or not set)") if {
	some [i, r] in zg.resources("azurerm_redis_cache")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, ["non_ssl_port_enabled", "enable_non_ssl_port"], {false}, false, "Redis cache plaintext port 6379 is enabled") if {
	some [i, r] in zg.resources("azurerm_redis_cache")
	zg.managed(r)
}

deny contains zg.check(meta.id, i, r, "minimal_tls_version", {"Tls12", "Tls13"}, null, "Cosmos DB account minimal TLS version is below Tls12 (or not set)") if {
	some [i, r] in zg.resources("azurerm_cosmosdb_account")
	zg.managed(r)
}

_weak := {"ssl_min_protocol_version": {"tlsv1", "tlsv1.0", "tlsv1.1"}, "require_secure_transport": {"off", "0", "false"}}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_postgresql_flexible_server_configuration")
	zg.managed(r)
	weak := _weak[lower(r.values.name)]
	weak[lower(r.values.value)]
	msg := sprintf("PostgreSQL server parameter %s = %s weakens TLS below 1.2", [r.values.name, r.values.value])
}

deny contains zg.unknown_finding(meta.id, i, path) if {
	some [i, r] in zg.resources("azurerm_postgresql_flexible_server_configuration")
	zg.managed(r)
	_tls_param(r)
	some path in ["name", "value"]
	zg.unknown(r, path)
}

_tls_param(r) if _weak[lower(r.values.name)]

_tls_param(r) if zg.unknown(r, "name")
