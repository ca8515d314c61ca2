# METADATA
# title: "Every published API validates requests and is reached only through the tenant product"
# description: "Public-facing APIs are protected against attacks and bad input (PCI DSS 6.2.4 injection and business-logic abuse, 6.4.1) and card data is not accepted where it does not belong (3.3.1, 3.4.1): each azurerm_api_management_api must have an API policy, and each API policy must start its <inbound> section with <base /> (so the global and product policies, validate-jwt and rate limits, run first), validate the request body against the imported schema (a validate-content element in <inbound>, not conditional, whose content entries all have action=\"prevent\" and whose unspecified-content-type and size-exceeded actions are prevent — detect only logs) and check the request body for card numbers (a set-body that masks them, or a choose whose first when tests the request body with a card-number regex and rejects or masks). The policy is read as XML in the effective stage (lib/gate/effective/apim-xml.ts): a comment, an attribute value, a header name or a set-header value never counts, and a policy known only after apply or not well-formed is a finding. The API must also be linked to a product (azurerm_api_management_product_api), so the product's token validation cannot be bypassed."
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
#     - {"type": "azurerm_api_management_api_policy", "path": "xml_content", "set": "<policies><inbound><base /><!-- <validate-content unspecified-content-type-action=\"prevent\" size-exceeded-action=\"prevent\" max-size=\"1024\"><content type=\"application/json\" validate-as=\"json\" action=\"prevent\" /></validate-content> --><set-header name=\"validate-content\" exists-action=\"override\"><value>action=\"prevent\" context.Request.Body [0-9]{13,19}</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_api_policy", "path": "xml_content", "set": "<policies><inbound><base /><validate-content unspecified-content-type-action=\"prevent\" size-exceeded-action=\"prevent\" max-size=\"1024\"><content type=\"application/json\" validate-as=\"json\" action=\"detect\" /></validate-content><choose><when condition=\"@(System.Text.RegularExpressions.Regex.IsMatch(context.Request.Body.As&lt;string&gt;(preserveContent: true), @&quot;[0-9](?:[ -]?[0-9]){12,18}&quot;))\"><return-response><set-status code=\"422\" /></return-response></when></choose></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
package zonegate.rules.gw.api_request_validation

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The API policy's document as the effective stage read it (absent: not evaluated, never a pass).
_policy(p) := object.get(p, ["effective", "apim_policy"], {"state": "invalid", "reason": "the policy was not read"})

_requirements := [
	["base", "does not start <inbound> with <base /> (the global and product policies, validate-jwt and rate limits, would not run first)"],
	["validate-content", "does not validate the request body against its schema in <inbound> (validate-content with action=\"prevent\" on every content type, and unspecified content types and oversize bodies prevented)"],
	["request-card-check", "does not check the request body for card numbers in <inbound> (reject or mask a body that a card-number regex matches)"],
]

_has(f, "base") if f.inbound.base_first

_has(f, c) if {
	c != "base"
	c in f.inbound.controls
}

_missing(f) := [m | some [c, m] in _requirements; not _has(f, c)]

deny contains zg.finding(meta.id, i, concat("", ["API policy ", concat("; ", ms)])) if {
	some [i, p] in zg.resources("azurerm_api_management_api_policy")
	zg.managed(p)
	f := _policy(p)
	f.state == "parsed"
	ms := _missing(f)
	count(ms) > 0
}

deny contains zg.finding(meta.id, i, concat("", ["API policy cannot be verified: ", f.reason])) if {
	some [i, p] in zg.resources("azurerm_api_management_api_policy")
	zg.managed(p)
	f := _policy(p)
	not f.state in {"parsed", "unknown"}
}

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, p] in zg.resources("azurerm_api_management_api_policy")
	zg.managed(p)
	_policy(p).state == "unknown"
}

deny contains zg.finding(meta.id, i, "API has no API policy (validate-content and the request card-number check would not apply)") if {
	some [i, a] in zg.resources("azurerm_api_management_api")
	zg.managed(a)
	count(object.get(a, ["effective", "apim_api", "policies"], [])) == 0
}

deny contains zg.finding(meta.id, i, "API is not linked to a product (the product's validate-jwt and rate limits would not apply)") if {
	some [i, a] in zg.resources("azurerm_api_management_api")
	zg.managed(a)
	not object.get(a, ["effective", "apim_api", "product_linked"], false) == true
}
