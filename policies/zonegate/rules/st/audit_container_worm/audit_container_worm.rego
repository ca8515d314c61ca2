# METADATA
# title: "Audit archive containers have an immutability policy"
# description: "A container that holds audit data (its name contains audit, archive or insights-) must carry a container immutability policy, or its logs can be altered or deleted."
# custom:
#   id: ZG-ST-010
#   severity: high
#   frameworks: {"pci-dss-4.0": ["10.3.2", "10.5.1"], "gdpr": [], "sox": ["802"]}
#   enforcement: mandatory
#   remediation: "Create the archive with constructs/immutable-archive.ts, which adds a locked azurerm_storage_container_immutability_policy to the container."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_storage_container", "azurerm_storage_container_immutability_policy"]
#   mutations:
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "storage_container_resource_manager_id", "delete": true}
package zonegate.rules.st.audit_container_worm

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_audit_name(name) if contains(lower(name), "audit")

_audit_name(name) if contains(lower(name), "archive")

_audit_name(name) if startswith(lower(name), "insights-")

_protected_keys contains k if {
	some [_, p] in zg.resources("azurerm_storage_container_immutability_policy")
	some k in zg.refs_to(p, "storage_container_resource_manager_id")
}

_protected_ids contains lower(p.values.storage_container_resource_manager_id) if {
	some [_, p] in zg.resources("azurerm_storage_container_immutability_policy")
	is_string(p.values.storage_container_resource_manager_id)
}

_protected(r) if {
	ks := _protected_keys
	ks[r.key]
}

_protected(r) if {
	ks := _protected_ids
	ks[lower(r.values.resource_manager_id)]
}

_protected(r) if {
	ks := _protected_ids
	ks[lower(r.values.id)]
}

deny contains zg.finding(meta.id, i, "Audit archive container has no immutability (WORM) policy") if {
	some [i, r] in zg.resources("azurerm_storage_container")
	zg.managed(r)
	_audit_name(r.values.name)
	not _protected(r)
}
