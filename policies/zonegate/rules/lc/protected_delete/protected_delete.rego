# METADATA
# title: "Protected evidence resources are not deleted or replaced without a declared offboarding"
# description: "A plan that deletes or replaces (delete-then-create or create-then-delete) the tenant's audit evidence — the WORM archive storage account, its container and immutability policy, the Key Vault and its keys, the Log Analytics workspace, the data export rule, management locks, diagnostic settings or flow logs — destroys logs that must be kept, or the keys that keep them readable. Only a signed-off offboarding declaration (--offboarding <tenant>) allows it, and even then the archive, its policy, the vault and the keys stay until the declared end of the immutability period. Plan-only: needs actions and prior state."
# custom:
#   id: ZG-LC-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["10.5.1", "10.3.2", "10.3.3", "3.6.1", "10.2.1"], "gdpr": ["5", "30"], "sox": ["802", "404"]}
#   enforcement: mandatory
#   remediation: "Do not delete or replace evidence resources: revert the change that forces the replacement (often a renamed resource or a ForceNew attribute). To retire a tenant, use `zonegate offboard <tenant>` with a signed-off offboarding/<tenant>.yaml; the archive, its policy, the vault and keys are kept until retainUntil."
#   construct: constructs/immutable-archive.ts
#   peers: {}
#   resource_types: ["azurerm_storage_account", "azurerm_storage_container", "azurerm_storage_container_immutability_policy", "azurerm_key_vault", "azurerm_key_vault_key", "azurerm_log_analytics_workspace", "azurerm_log_analytics_data_export_rule", "azurerm_management_lock", "azurerm_monitor_diagnostic_setting", "azurerm_network_watcher_flow_log"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_key_vault_key", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "@actions", "set": ["create", "delete"]}
#     - {"type": "azurerm_log_analytics_workspace", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_log_analytics_data_export_rule", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_management_lock", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_monitor_diagnostic_setting", "path": "@actions", "set": ["delete", "create"]}
#     - {"type": "azurerm_network_watcher_flow_log", "path": "@actions", "set": ["delete", "create"]}
package zonegate.rules.lc.protected_delete

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# Deleting or replacing one of these is always a change to the tenant's evidence.
_evidence_types := {
	"azurerm_storage_container_immutability_policy",
	"azurerm_key_vault",
	"azurerm_key_vault_key",
	"azurerm_log_analytics_workspace",
	"azurerm_log_analytics_data_export_rule",
	"azurerm_management_lock",
	"azurerm_monitor_diagnostic_setting",
	"azurerm_network_watcher_flow_log",
}

# Kept until the WORM period ends, even with a declared offboarding (with the archive account/container).
_retained_types := {"azurerm_storage_container_immutability_policy", "azurerm_key_vault", "azurerm_key_vault_key"}

_storage_types := {"azurerm_storage_account", "azurerm_storage_container"}

_policy := "azurerm_storage_container_immutability_policy"

# [index, resource] of every resource of type t: planned (by_type) and deleted outright (input.deleted).
_of(t) := array.concat(zg.resources(t), [[i, r] |
	some i in object.get(input, "deleted", [])
	r := input.resources[i]
	r.type == t
])

# _prior(r) is what existed before the change: prior state when the plan carries it, else the values.
_prior(r) := r.before if is_object(object.get(r, "before", null))

_prior(r) := r.values if not is_object(object.get(r, "before", null))

_lid(v) := lower(v) if is_string(v)

# Keys and (lowercased) ARM ids of the WORM containers: those an immutability policy points at.
_worm_container_keys contains k if {
	some [_, p] in _of(_policy)
	some k in zg.refs_to(p, "storage_container_resource_manager_id")
}

_worm_container_ids contains id if {
	some [_, p] in _of(_policy)
	id := _lid(_prior(p).storage_container_resource_manager_id)
}

_worm_container_ids contains id if {
	some [_, p] in _of(_policy)
	id := _lid(p.values.storage_container_resource_manager_id)
}

_worm_container(c) if {
	ks := _worm_container_keys
	ks[c.key]
}

_worm_container(c) if {
	ids := _worm_container_ids
	ids[_lid(_prior(c).resource_manager_id)]
}

# The audit layer holds only the archive storage (docs/architecture.md).
_worm_container(c) if c.context.layer == "audit"

_worm_account_keys contains k if {
	some [_, c] in _of("azurerm_storage_container")
	_worm_container(c)
	some k in zg.refs_to(c, ["storage_account_id", "storage_account_name"])
}

_worm_account_prefixes contains concat("", [id, "/"]) if {
	some [_, c] in _of("azurerm_storage_container")
	_worm_container(c)
	parts := split(_lid(_prior(c).resource_manager_id), "/blobservices/")
	count(parts) == 2
	id := parts[0]
}

_worm_account(a) if {
	ks := _worm_account_keys
	ks[a.key]
}

_worm_account(a) if {
	some p in _worm_account_prefixes
	startswith(concat("", [_lid(_prior(a).id), "/"]), p)
}

_worm_account(a) if a.context.layer == "audit"

_protected(r) if _evidence_types[r.type]

_protected(r) if {
	r.type == "azurerm_storage_container"
	_worm_container(r)
}

_protected(r) if {
	r.type == "azurerm_storage_account"
	_worm_account(r)
}

_retained(r) if _retained_types[r.type]

_retained(r) if {
	_storage_types[r.type]
	_protected(r)
}

_deletes(r) if "delete" in r.actions

_verb(r) := "deleted" if r.actions == ["delete"]

_verb(r) := "replaced (destroyed and re-created)" if {
	"delete" in r.actions
	"create" in r.actions
}

_candidates := [[i, r] |
	some t in (_evidence_types | _storage_types)
	some [i, r] in _of(t)
	_deletes(r)
	_protected(r)
]

_declaration(r) := input.offboarding[r.tenant.id]

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in _candidates
	not _declaration(r)
	msg := sprintf(
		"%s (audit evidence) would be %s without a declared offboarding (actions %v)",
		[r.type, _verb(r), r.actions],
	)
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in _candidates
	d := _declaration(r)
	_retained(r)
	d.archive_released != true
	msg := sprintf(
		"%s would be %s before the WORM retention of the offboarded tenant ends (%s): keep the archive, its policy, the vault and keys until then",
		[r.type, _verb(r), d.retain_until],
	)
}
