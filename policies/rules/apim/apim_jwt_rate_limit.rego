# METADATA
# title: "Tenant APIs validate JWTs and rate-limit per caller"
# description: "Every tenant API call must carry a token validated for issuer and audience (validate-jwt with audiences) and be rate-limited per caller (rate-limit-by-key)."
# custom:
#   id: ZG-APIM-005
#   severity: high
#   frameworks: {"pci-dss-4.0": ["8.3.1", "6.4.1", "7.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Apply constructs/gateway-policy.ts to the tenant product (validate-jwt with the tenant's issuer/audience, rate-limit-by-key per subscription)."
#   construct: constructs/gateway-policy.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_api_policy", "azurerm_api_management_product_policy"]
#   mutations:
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "unknown": true}
package zonegate.rules.apim_jwt_rate_limit

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
	_jwt(xs)
	_rate(xs)
}

_jwt(xs) if {
	some x in xs
	contains(x, "<validate-jwt")
	contains(x, "<audiences>")
}

_rate(xs) if {
	some x in xs
	contains(x, "<rate-limit-by-key")
}

deny contains zg.finding(meta.id, i, "API Management policies lack validate-jwt with audiences and/or rate-limit-by-key") if {
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
