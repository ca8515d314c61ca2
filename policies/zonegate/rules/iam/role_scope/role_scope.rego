# METADATA
# title: "Role assignments are scoped below the subscription"
# description: "A role assignment on a whole subscription, a management group or the tenant root reaches every tenant resource there (and, on shared non-production subscriptions, other tenants' resources): PCI DSS 7.2.1, 7.2.2, 7.2.5, 7.2.6 (least privilege, access to the CDE restricted by need to know). The landing zone's identities are scoped to the single resource they act on. A scope that references the subscription data source or a management group is as broad as the literal id. A scope that is another resource's id known only after apply is a resource created in the plan, i.e. not a subscription."
# custom:
#   id: ZG-IAM-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["7.2.1", "7.2.2", "7.2.5", "7.2.6"], "gdpr": ["25", "32"], "sox": ["404"]}
#   enforcement: mandatory
#   remediation: "Scope the assignment to the resource the identity acts on (subnet, vault, disk encryption set, storage account), as the constructs do."
#   construct: constructs/aks-cluster.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_role_assignment"]
#   mutations:
#     - {"type": "azurerm_role_assignment", "path": "scope", "set": "/subscriptions/00000000-0000-0000-0000-000000000000"}
#     - {"type": "azurerm_role_assignment", "path": "scope", "set": "/providers/Microsoft.Management/managementGroups/root"}
#     - {"type": "azurerm_role_assignment", "path": "scope", "set": "/"}
package zonegate.rules.iam.role_scope

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_broad_types := ["azurerm_subscription", "azurerm_management_group"]

_broad_keys contains r.key if {
	some [_, r] in zg.resources_of(_broad_types)
}

_broad_id(s) if regex.match(`^/subscriptions/[^/]+/?$`, lower(s))

_broad_id(s) if startswith(lower(s), "/providers/microsoft.management/managementgroups/")

_broad_id(s) if trim_space(s) == "/"

_broad(r) if _broad_id(r.values.scope)

_broad(r) if {
	ks := _broad_keys
	some k in zg.refs_to(r, "scope")
	ks[k]
}

deny contains zg.finding(meta.id, i, "Role assignment is scoped to a subscription, management group or the tenant root") if {
	some [i, r] in zg.resources("azurerm_role_assignment")
	zg.managed(r)
	_broad(r)
}

deny contains zg.finding(meta.id, i, "Role assignment has no scope") if {
	some [i, r] in zg.resources("azurerm_role_assignment")
	zg.managed(r)
	not zg.present(r, "scope")
}
