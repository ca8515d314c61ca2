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

# Per stack, computed once over the policy resources (a lookup per API Management instance, not a scan):
# _jwt_in: some policy validates JWTs with audiences; _rate_in: some policy rate-limits by key;
# _undecided_in: some policy's xml_content is known only after apply.
_xml(p) := lower(x) if {
	x := p.values.xml_content
	is_string(x)
}

_policies := [p |
	some t in _policy_types
	some [_, p] in zg.resources(t)
]

_jwt_in contains p.stack if {
	some p in _policies
	x := _xml(p)
	contains(x, "<validate-jwt")
	contains(x, "<audiences>")
}

_rate_in contains p.stack if {
	some p in _policies
	contains(_xml(p), "<rate-limit-by-key")
}

_undecided_in contains p.stack if {
	some p in _policies
	zg.unknown(p, "xml_content")
}

_undecided(stack) if {
	ks := _undecided_in
	ks[stack]
}

_ok(stack) if {
	all_jwt_in := _jwt_in
	all_jwt_in[stack]
	all_rate_in := _rate_in
	all_rate_in[stack]
}

deny contains zg.finding(meta.id, i, "API Management policies lack validate-jwt with audiences and/or rate-limit-by-key") if {
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
