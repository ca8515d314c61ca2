# METADATA
# title: "Resources carry the zonegate tags"
# description: "Tags tenant, env, residency, compliance and managed-by drive cost allocation, residency evidence and compliance scoping (PCI DSS 12.5.1 inventory of system components)."
# custom:
#   id: ZG-TAG-001
#   severity: low
#   frameworks: {"pci-dss-4.0": ["12.5.1", "2.2.1"], "gdpr": ["30"], "sox": []}
#   enforcement: {"default": "mandatory", "dev": "advisory"}
#   remediation: "Pass the tags from constructs/tenant-foundation.ts (mandatoryTags) to every taggable resource."
#   construct: constructs/tenant-foundation.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_*"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "tags.tenant", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "tags", "delete": true}
package zonegate.rules.tag.required_tags

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_required := ["compliance", "env", "managed-by", "residency", "tenant"]

# Types that accept tags but whose synth output may omit the attribute entirely.
_taggable := {
	"azurerm_resource_group", "azurerm_key_vault", "azurerm_storage_account", "azurerm_virtual_network",
	"azurerm_network_security_group", "azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool",
	"azurerm_api_management", "azurerm_log_analytics_workspace", "azurerm_private_endpoint", "azurerm_public_ip",
	"azurerm_disk_encryption_set", "azurerm_user_assigned_identity", "azurerm_private_dns_zone",
	"azurerm_network_watcher_flow_log", "azurerm_recovery_services_vault", "azurerm_key_vault_key",
}

# [index, resource] of the managed azurerm resources that must carry the tags: a list (by_type holds each
# index once), not a set, which would hash every resource object deeply.
_candidates := [[i, r] |
	some t, idxs in input.by_type
	startswith(t, "azurerm_")
	some i in idxs
	r := input.resources[i]
	zg.managed(r)
	_tags_apply(t, r)
]

_tags_apply(t, _) if _taggable[t]

_tags_apply(_, r) if _ = r.values.tags

_missing(r) := [k |
	some k in _required
	not _has(r, k)
]

_has(r, k) if is_string(r.values.tags[k])

_has(r, k) if zg.unknown(r, concat(".", ["tags", k]))

deny contains zg.finding(meta.id, i, concat("", ["Missing tags: ", concat(", ", missing)])) if {
	some [i, r] in _candidates
	missing := _missing(r)
	count(missing) > 0
}
