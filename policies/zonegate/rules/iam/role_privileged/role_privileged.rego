# METADATA
# title: "Role assignments grant no Owner, Contributor, User Access Administrator or RBAC Administrator"
# description: "Least privilege (PCI DSS 7.2.1, 7.2.2, 7.2.5, 7.3.1, 8.2.2): identities the landing zone creates (managed identities of AKS, disk encryption sets, storage) get narrow data-plane or resource roles on single resources, never the broad built-in roles that can change everything or hand out access. Checked by role name and by the well-known role definition ids (a role_definition_id ending in the GUID of Owner, Contributor, User Access Administrator or Role Based Access Control Administrator). Humans get such roles just in time through PIM, not as standing assignments in code. A role known only after apply cannot be verified."
# custom:
#   id: ZG-IAM-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["7.2.1", "7.2.2", "7.2.5", "7.3.1", "8.2.2"], "gdpr": ["25", "32"], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Assign the narrowest built-in role on the single resource (e.g. Network Contributor on a subnet, Key Vault Crypto Service Encryption User on a vault); the constructs (aks-cluster.ts, disk-encryption-set.ts, immutable-archive.ts, key-vault.ts) do."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": [], "trivy": []}
#   stricter_than_peers: "checkov CKV_AZURE_39 (on azurerm_role_definition) only flags custom roles with subscription-owner permissions; we deny assignments of the built-in privileged roles by name and id for every principal type."
#   resource_types: ["azurerm_role_assignment"]
#   mutations:
#     - {"type": "azurerm_role_assignment", "path": "role_definition_name", "set": "Owner"}
#     - {"type": "azurerm_role_assignment", "delete": ["role_definition_name"], "set": {"role_definition_id": "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"}}
#     - {"type": "azurerm_role_assignment", "path": "role_definition_name", "set": "User Access Administrator"}
#     - {"type": "azurerm_role_assignment", "path": "role_definition_name", "unknown": true}
package zonegate.rules.iam.role_privileged

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_names := {"owner": true, "contributor": true, "user access administrator": true, "role based access control administrator": true}

_ids := {
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
	"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
	"f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
}

_role_fields := ["role_definition_name", "role_definition_id"]

_assignments := [[i, r] |
	some [i, r] in zg.resources("azurerm_role_assignment")
	zg.managed(r)
]

_privileged(r) := r.values.role_definition_name if {
	is_string(r.values.role_definition_name)
	_names[lower(trim_space(r.values.role_definition_name))]
}

_privileged(r) := _ids[guid] if {
	is_string(r.values.role_definition_id)
	parts := split(lower(trim_right(r.values.role_definition_id, "/")), "/")
	guid := parts[count(parts) - 1]
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in _assignments
	role := _privileged(r)
	msg := sprintf("Role assignment grants the privileged role %s", [role])
}

deny contains zg.unknown_finding(meta.id, i, "role_definition_name") if {
	some [i, r] in _assignments
	not zg.known(r, _role_fields)
	zg.unknown(r, _role_fields)
}

deny contains zg.finding(meta.id, i, "Role assignment names no role (role_definition_name or role_definition_id)") if {
	some [i, r] in _assignments
	not zg.present(r, _role_fields)
}
