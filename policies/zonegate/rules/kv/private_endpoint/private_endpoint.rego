# METADATA
# title: "Key Vault has a private endpoint"
# description: "With public access disabled the vault is only usable through a private endpoint; a vault without one is either unreachable or quietly re-opened later."
# custom:
#   id: ZG-KV-006
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Create the vault with constructs/key-vault.ts, which gives it a private endpoint (constructs/private-endpoint.ts, subresource vault) in the same stack."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": ["CKV2_AZURE_32"], "trivy": []}
#   resource_types: ["azurerm_key_vault", "azurerm_private_endpoint"]
#   mutations:
#     - {"type": "azurerm_private_endpoint", "where": {"values.private_service_connection.subresource_names": "vault"}, "path": "private_service_connection.private_connection_resource_id", "delete": true}
#     - {"type": "azurerm_private_endpoint", "where": {"values.private_service_connection.subresource_names": "vault"}, "path": "private_service_connection.private_connection_resource_id", "set": "/subscriptions/x/other"}
package zonegate.rules.kv.private_endpoint

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_path := "private_service_connection.private_connection_resource_id"

_target_keys contains k if {
	some [_, pe] in zg.resources("azurerm_private_endpoint")
	some k in zg.refs_to(pe, _path)
}

_target_ids contains lower(id) if {
	some [_, pe] in zg.resources("azurerm_private_endpoint")
	some b in zg.blocks(pe.values, "private_service_connection")
	id := b.private_connection_resource_id
	is_string(id)
}

_connected(r) if {
	ks := _target_keys
	ks[r.key]
}

_connected(r) if {
	ks := _target_ids
	ks[lower(r.values.id)]
}

deny contains zg.finding(meta.id, i, "Key Vault has no private endpoint") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	not _connected(r)
}
