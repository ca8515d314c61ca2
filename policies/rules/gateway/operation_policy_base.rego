# METADATA
# title: "Operation policies keep <base /> so token validation and rate limits still apply"
# description: "An API Management operation policy whose inbound section does not start with <base /> skips the global, product and API policies for that operation: no validate-jwt, no rate limit, no request validation (PCI DSS 8.3.1, 6.4.1, 7.2.1). Every azurerm_api_management_api_operation_policy must begin its inbound section with <base /> and keep <base /> in its outbound section (response PAN masking, 3.4.1). A policy known only after apply cannot be verified."
# custom:
#   id: ZG-GW-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["8.3.1", "6.4.1", "7.2.1", "3.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Generate operation policies with lib/gateway/policies.ts operationPolicy (constructs/gateway-apis.ts): <base /> first in inbound and in every other section."
#   construct: constructs/gateway-apis.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management_api_operation_policy"]
#   mutations:
#     - {"type": "azurerm_api_management_api_operation_policy", "path": "xml_content", "set": "<policies><inbound><return-response><set-status code=\"200\" /></return-response></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_api_operation_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound><backend><base /></backend><outbound /><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_api_operation_policy", "path": "xml_content", "unknown": true}
package zonegate.rules.operation_policy_base

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# the text between <tag> and </tag> (a self-closing <tag /> is an empty section)
_section(x, tag) := split(split(x, concat("", ["<", tag, ">"]))[1], concat("", ["</", tag, ">"]))[0]

# only whitespace and comments precede the first <base
_starts_with_base(s) if {
	idx := indexof(s, "<base")
	idx >= 0
	parts := split(substring(s, 0, idx), "<!--")
	trim_space(parts[0]) == ""
	every p in array.slice(parts, 1, count(parts)) {
		q := split(p, "-->")
		count(q) == 2
		trim_space(q[1]) == ""
	}
}

_ok(x) if {
	_starts_with_base(_section(x, "inbound"))
	contains(_section(x, "outbound"), "<base")
}

deny contains zg.finding(meta.id, i, "Operation policy does not start its inbound section with <base /> (or drops <base /> from outbound): the global and product policies are skipped") if {
	some [i, p] in zg.resources("azurerm_api_management_api_operation_policy")
	zg.managed(p)
	not zg.unknown(p, "xml_content")
	not _text_ok(p)
}

_text_ok(p) if _ok(lower(p.values.xml_content))

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, p] in zg.resources("azurerm_api_management_api_operation_policy")
	zg.managed(p)
	zg.unknown(p, "xml_content")
}
