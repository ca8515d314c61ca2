# METADATA
# title: "Every published API validates requests and is reached only through the tenant product"
# description: "Public-facing APIs are protected against attacks and bad input (PCI DSS 6.2.4 injection and business-logic abuse, 6.4.1) and card data is not accepted where it does not belong (3.3.1, 3.4.1): each azurerm_api_management_api must have an API policy that keeps <base /> in its inbound section (so the global and product policies, validate-jwt and rate limits apply), validates the request body against the imported schema (validate-content with action=\"prevent\") and inspects the request body for card numbers; and it must be linked to a product (azurerm_api_management_product_api), so the product's token validation cannot be bypassed."
# custom:
#   id: ZG-GW-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["6.2.4", "6.4.1", "3.3.1", "3.4.1", "8.3.1"], "gdpr": ["25", "32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Publish APIs with constructs/gateway-apis.ts (tenant gateway.apis[]): it imports the OpenAPI document, links the API to the tenant product and attaches the generated API policy."
#   construct: constructs/gateway-apis.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management_api", "azurerm_api_management_api_policy", "azurerm_api_management_product_api"]
#   mutations:
#     - {"type": "azurerm_api_management_api_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_api_policy", "path": "xml_content", "unknown": true}
#     - {"type": "azurerm_api_management_api_policy", "path": "api_name", "delete": true}
#     - {"type": "azurerm_api_management_product_api", "path": "api_name", "delete": true}
package zonegate.rules.api_request_validation

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_inbound(x) := split(split(x, "<inbound>")[1], "</inbound>")[0]

# a <content …> of a validate-content element carries action="prevent"
_validates(x) if {
	some part in array.slice(split(_inbound(x), "<validate-content"), 1, 100)
	some c in array.slice(split(split(part, "</validate-content>")[0], "<content "), 1, 100)
	contains(split(c, ">")[0], ` action="prevent"`)
}

_card_check(x) if {
	inbound := _inbound(x)
	contains(inbound, "context.request.body")
	contains(inbound, "13,19")
}

_good(x) if {
	startswith(trim_space(_inbound(x)), "<base")
	_validates(x)
	_card_check(x)
}

# the APIs a resource points at through api_name: referenced keys, or "<stack>|<name>"
_api_keys(r) := zg.refs_to(r, "api_name") | {concat("|", [r.stack, lower(n)]) | n := r.values.api_name; is_string(n)}

_good_apis contains k if {
	some [_, p] in zg.resources("azurerm_api_management_api_policy")
	zg.managed(p)
	x := lower(p.values.xml_content)
	is_string(x)
	_good(x)
	some k in _api_keys(p)
}

_undecided_apis contains k if {
	some [_, p] in zg.resources("azurerm_api_management_api_policy")
	zg.unknown(p, "xml_content")
	some k in _api_keys(p)
}

_linked_apis contains k if {
	some [_, l] in zg.resources("azurerm_api_management_product_api")
	zg.managed(l)
	zg.present(l, "product_id")
	some k in _api_keys(l)
}

_ids(a) := {a.key} | {concat("|", [a.stack, lower(n)]) | n := a.values.name; is_string(n)}

_any(ks, a) if {
	some k in _ids(a)
	ks[k]
}

deny contains zg.finding(meta.id, i, "API has no policy that keeps <base />, validates the request body against its schema (validate-content, prevent) and checks it for card numbers") if {
	some [i, a] in zg.resources("azurerm_api_management_api")
	zg.managed(a)
	good := _good_apis
	not _any(good, a)
	undecided := _undecided_apis
	not _any(undecided, a)
}

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, a] in zg.resources("azurerm_api_management_api")
	zg.managed(a)
	good := _good_apis
	not _any(good, a)
	undecided := _undecided_apis
	_any(undecided, a)
}

deny contains zg.finding(meta.id, i, "API is not linked to a product (the product's validate-jwt and rate limits would not apply)") if {
	some [i, a] in zg.resources("azurerm_api_management_api")
	zg.managed(a)
	linked := _linked_apis
	not _any(linked, a)
}
