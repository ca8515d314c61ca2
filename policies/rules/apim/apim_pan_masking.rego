# METADATA
# title: "API responses mask card numbers"
# description: "A response DLP policy must mask primary account numbers (PAN) in outbound bodies so full PANs never leave the gateway (PCI DSS 3.4.1). The masking must reach every API: in the global (service) policy with every product/API policy keeping <base /> in its outbound section (a scope that drops <base /> skips the global masking), or in every product/API policy itself."
# custom:
#   id: ZG-APIM-006
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.4.1", "3.3.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Apply constructs/gateway-policy.ts, whose outbound section masks PAN patterns in response bodies."
#   construct: constructs/gateway-policy.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_api_policy", "azurerm_api_management_product_policy"]
#   mutations:
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "set": "<policies><inbound /><backend><forward-request /></backend><outbound /><on-error /></policies>"}
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "unknown": true}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound><backend><base /></backend><outbound /><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "unknown": true}
package zonegate.rules.apim_pan_masking

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_global_type := "azurerm_api_management_policy"

_child_types := ["azurerm_api_management_api_policy", "azurerm_api_management_product_policy"]

_policy_types := array.concat([_global_type], _child_types)

_text(p) := lower(p.values.xml_content) if is_string(p.values.xml_content)

_outbound(x) := split(x, "<outbound>")[1]

_masks(x) if _masks_text(_outbound(x))

_masks_text(out) if contains(out, "pan")

_masks_text(out) if contains(out, "13,19")

_masks_text(out) if contains(out, "card")

_inherits(x) if contains(_outbound(x), "<base")

_child_ok(c) if _masks(c)

_child_ok(c) if _inherits(c)

# Per stack, computed once over the policy resources (a lookup per API Management instance, not a scan).
_children := [p |
	some t in _child_types
	some [_, p] in zg.resources(t)
]

# stacks with a global policy that masks in its outbound section
_global_masks_in contains p.stack if {
	some [_, p] in zg.resources(_global_type)
	_masks(_text(p))
}

# stacks with product/API policies; with one that neither masks nor inherits (<base />); with one that
# does not mask itself (a child whose xml_content is not a known string counts as both)
_children_in contains p.stack if {
	some p in _children
}

_child_not_ok_in contains p.stack if {
	some p in _children
	not _child_text_ok(p)
}

_child_unmasked_in contains p.stack if {
	some p in _children
	not _child_text_masks(p)
}

# (undefined when xml_content is not a string: called in a negation, so the whole call must be inside it)
_child_text_ok(p) if _child_ok(_text(p))

_child_text_masks(p) if _masks(_text(p))

_undecided_in contains p.stack if {
	some t in _policy_types
	some [_, p] in zg.resources(t)
	zg.unknown(p, "xml_content")
}

_undecided(stack) if {
	ks := _undecided_in
	ks[stack]
}

# masked by the global policy, every child inheriting or masking itself
_ok(stack) if {
	all_global_masks_in := _global_masks_in
	all_global_masks_in[stack]
	all_child_not_ok_in := _child_not_ok_in
	not all_child_not_ok_in[stack]
}

# no (masking) global policy needed when there are children and each masks itself
_ok(stack) if {
	all_children_in := _children_in
	all_children_in[stack]
	all_child_unmasked_in := _child_unmasked_in
	not all_child_unmasked_in[stack]
}

deny contains zg.finding(meta.id, i, "Card numbers (PAN) are not masked on every API: no masking outbound policy, or a product/API policy drops <base /> from its outbound section") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	not _ok(r.stack)
	not _undecided(r.stack)
}

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	not _ok(r.stack)
	_undecided(r.stack)
}
