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

_xml(types, stack) := [lower(x) |
	some t in types
	some [_, p] in zg.resources(t)
	p.stack == stack
	x := p.values.xml_content
	is_string(x)
]

_undecided(stack) if {
	some t in _policy_types
	some [_, p] in zg.resources(t)
	p.stack == stack
	zg.unknown(p, "xml_content")
}

_outbound(x) := split(x, "<outbound>")[1]

_masks(x) if _masks_text(_outbound(x))

_masks_text(out) if contains(out, "pan")

_masks_text(out) if contains(out, "13,19")

_masks_text(out) if contains(out, "card")

# _inherits(x): the outbound section runs the parent scope's outbound policies.
_inherits(x) if contains(_outbound(x), "<base")

_children(stack) := [p |
	some t in _child_types
	some [_, p] in zg.resources(t)
	p.stack == stack
]

_text(p) := lower(p.values.xml_content) if is_string(p.values.xml_content)

# The global policy masks and every product/API policy keeps (or repeats) it; or, without a masking global
# policy, every product/API policy masks itself (and there is at least one). A policy whose XML is unknown
# keeps the stack from passing (then reported as unknown).
_ok(stack) if {
	some g in _xml([_global_type], stack)
	_masks(g)
	every p in _children(stack) {
		_child_ok(_text(p))
	}
}

_ok(stack) if {
	children := _children(stack)
	count(children) > 0
	every p in children {
		_masks(_text(p))
	}
}

_child_ok(c) if _masks(c)

_child_ok(c) if _inherits(c)

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
