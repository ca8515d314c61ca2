# METADATA
# title: "API responses mask card numbers"
# description: "A response DLP policy must mask primary account numbers (PAN) in outbound bodies so full PANs never leave the gateway (PCI DSS 3.4.1)."
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
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "unknown": true}
package zonegate.rules.apim_pan_masking

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_policy_types := ["azurerm_api_management_policy", "azurerm_api_management_api_policy", "azurerm_api_management_product_policy"]

_xml(stack) := [lower(x) |
	some t in _policy_types
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

_ok(xs) if {
	some x in xs
	parts := split(x, "<outbound>")
	count(parts) > 1
	out := parts[1]
	_masks(out)
}

_masks(out) if contains(out, "pan")

_masks(out) if contains(out, "13,19")

_masks(out) if contains(out, "card")

deny contains zg.finding(meta.id, i, "No outbound API Management policy masks card numbers (PAN)") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	not _ok(_xml(r.stack))
	not _undecided(r.stack)
}

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	not _ok(_xml(r.stack))
	_undecided(r.stack)
}
