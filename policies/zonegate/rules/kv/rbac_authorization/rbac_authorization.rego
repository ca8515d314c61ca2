# METADATA
# title: "Key Vault uses Azure RBAC authorization"
# description: "Vault access policies are per-vault and invisible to access reviews; Azure RBAC puts data-plane access under the tenant's role assignments and PIM. Judged on the vault's effective access: every access policy (inline access_policy blocks and separate azurerm_key_vault_access_policy resources, which take effect again as soon as RBAC is switched off) is a finding on the resource that declares it, and so is a role assignment scoped to the vault that lets its holder take over the vault's access control (Owner, Contributor, User Access Administrator, Role Based Access Control Administrator, Key Vault Contributor, Key Vault Data Access Administrator, by name or built-in role id); a role assignment on the vault whose role is known only after apply cannot be verified."
# custom:
#   id: ZG-KV-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["7.2.1", "7.2.2", "8.2.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set rbac_authorization_enabled = true (azurerm v3: enable_rbac_authorization) in constructs/key-vault.ts; grant access with role assignments."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_key_vault", "azurerm_key_vault_access_policy", "azurerm_role_assignment"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "set": false}
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "rbac_authorization_enabled", "unknown": true}
#     - {"type": "azurerm_key_vault", "path": "access_policy", "set": [{"tenant_id": "t", "object_id": "o", "key_permissions": ["Get", "Purge"]}]}
#     - {"type": "azurerm_role_assignment", "where": {"values.role_definition_name": "Key Vault Crypto Officer"}, "path": "role_definition_name", "set": "Owner"}
package zonegate.rules.kv.rbac_authorization

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, ["rbac_authorization_enabled", "enable_rbac_authorization"], {true}, false, "Key Vault uses access policies instead of Azure RBAC authorization") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}

_privileged := {"owner", "contributor", "user access administrator", "role based access control administrator", "key vault contributor", "key vault data access administrator"}

_access := [[r, x] |
	some t in ["azurerm_key_vault", "azurerm_key_vault_access_policy"]
	some [_, r] in zg.resources(t)
	zg.managed(r)
	some x in object.get(r, ["effective", "access_policies"], [])
]

deny contains zg.finding(meta.id, x.at, "Key Vault access policy grants data-plane access outside Azure RBAC (it takes effect whenever RBAC authorization is off)") if {
	some [_, x] in _access
}

deny contains zg.finding(meta.id, a.at, concat("", ["Role assignment ", a.role, " on the Key Vault lets its holder change the vault's access control"])) if {
	some [_, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	some a in object.get(r, ["effective", "role_assignments"], [])
	lower(a.role) in _privileged
}

deny contains zg.unknown_finding(meta.id, a.at, "role_definition_name / role_definition_id") if {
	some [_, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	some a in object.get(r, ["effective", "role_assignments"], [])
	a.role == "unknown"
}
