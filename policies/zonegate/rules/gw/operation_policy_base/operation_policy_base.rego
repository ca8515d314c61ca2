# METADATA
# title: "Operation policies keep <base /> so token validation and rate limits still apply"
# description: "An API Management operation policy whose inbound section does not start with <base /> skips (or runs after its own elements) the global, product and API policies for that operation: no validate-jwt, no rate limit, no request validation (PCI DSS 8.3.1, 6.4.1, 7.2.1). Every azurerm_api_management_api_operation_policy must have <base /> as the first element of its <inbound> section and keep <base /> in its <outbound> section (response PAN masking, 3.4.1). The policy is read as XML in the effective stage (lib/gate/effective/apim-xml.ts): comments are ignored, a <base /> nested in <choose> or written in a comment or attribute does not count, and a policy that is not well-formed or is known only after apply cannot be verified."
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
#     - {"type": "azurerm_api_management_api_operation_policy", "path": "xml_content", "set": "<policies><inbound><!-- <base /> --><set-header name=\"base\" exists-action=\"override\"><value>&lt;base /&gt;</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_api_operation_policy", "path": "xml_content", "set": "<policies><inbound><choose><when condition=\"@(true)\"><base /></when></choose></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
package zonegate.rules.gw.operation_policy_base

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The operation policy's document as the effective stage read it (absent: not evaluated, never a pass).
_policy(p) := object.get(p, ["effective", "apim_policy"], {"state": "invalid", "reason": "the policy was not read"})

_requirements := [
	["inbound", "does not start its inbound section with <base /> (the global, product and API policies — validate-jwt, rate limits, request validation — are skipped or run after it)"],
	["outbound", "drops <base /> from its outbound section (the response PAN masking of the parent scopes is skipped)"],
]

_has(f, "inbound") if f.inbound.base_first

_has(f, "outbound") if f.outbound.base

_missing(f) := [m | some [s, m] in _requirements; not _has(f, s)]

deny contains zg.finding(meta.id, i, concat("", ["Operation policy ", concat("; ", ms)])) if {
	some [i, p] in zg.resources("azurerm_api_management_api_operation_policy")
	zg.managed(p)
	f := _policy(p)
	f.state == "parsed"
	ms := _missing(f)
	count(ms) > 0
}

deny contains zg.finding(meta.id, i, concat("", ["Operation policy cannot be verified: ", f.reason])) if {
	some [i, p] in zg.resources("azurerm_api_management_api_operation_policy")
	zg.managed(p)
	f := _policy(p)
	not f.state in {"parsed", "unknown"}
}

deny contains zg.unknown_finding(meta.id, i, "xml_content") if {
	some [i, p] in zg.resources("azurerm_api_management_api_operation_policy")
	zg.managed(p)
	_policy(p).state == "unknown"
}
