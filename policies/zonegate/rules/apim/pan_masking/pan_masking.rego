# METADATA
# title: "API responses mask card numbers"
# description: "A response DLP policy must mask primary account numbers (PAN) in outbound bodies so full PANs never leave the gateway (PCI DSS 3.4.1). Judged per endpoint (every product, API and operation) on the effective policy chain resolved through <base /> (lib/gate/effective/api-management.ts): some scope's <outbound> must rewrite the response body (set-body, directly or inside choose/when) with a policy expression whose regular expression matches card numbers — recognised by what it does (the pattern is run against sample PANs), not by words such as pan or card — and every narrower scope must keep <base /> in <outbound>. The finding names the policy that caused the gap."
# custom:
#   id: ZG-APIM-006
#   severity: high
#   frameworks: {"pci-dss-4.0": ["3.4.1", "3.3.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Apply constructs/gateway-policy.ts, whose outbound section masks PAN patterns in response bodies."
#   construct: constructs/gateway-policy.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_product", "azurerm_api_management_product_policy", "azurerm_api_management_api", "azurerm_api_management_api_policy", "azurerm_api_management_api_operation", "azurerm_api_management_api_operation_policy", "azurerm_api_management_product_api"]
#   mutations:
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "set": "<policies><inbound /><backend><forward-request /></backend><outbound /><on-error /></policies>"}
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "unknown": true}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound><backend><base /></backend><outbound /><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "unknown": true}
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "set": "<policies><inbound /><backend><forward-request /></backend><outbound><!-- mask PAN card numbers --><set-header name=\"X-Card\" exists-action=\"override\"><value>pan masked</value></set-header></outbound><on-error /></policies>"}
#     - {"type": "azurerm_api_management_policy", "path": "xml_content", "set": "<policies><inbound /><backend><forward-request /></backend><outbound><set-body>@(context.Response.Body.As&lt;string&gt;().Replace(\"card\", \"****\"))</set-body></outbound><on-error /></policies>"}
#     - {"type": "azurerm_api_management_api_policy", "where": {"type": "azurerm_api_management_product_policy"}, "add": {"api_name": "zg-mutation-api", "xml_content": "<policies><inbound><base /></inbound><backend><base /></backend><outbound /><on-error><base /></on-error></policies>"}}
package zonegate.rules.apim.pan_masking

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# Gaps of the effective policy chain, recorded on the resource that caused each (g.at is that resource).
_gaps := [[i, g] |
	some t in ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_product", "azurerm_api_management_product_policy", "azurerm_api_management_api", "azurerm_api_management_api_policy", "azurerm_api_management_api_operation", "azurerm_api_management_api_operation_policy", "azurerm_api_management_product_api"]
	some [i, r] in zg.resources(t)
	zg.managed(r)
	some g in object.get(r, ["effective", "apim_gaps"], [])
	g.control == "pan-masking"
]

deny contains zg.finding(meta.id, i, concat("", [g.scope, " does not mask card numbers (PAN) in responses: ", g.reason])) if {
	some [i, g] in _gaps
	not g.unknown
}

deny contains zg.unknown_finding(meta.id, i, concat("", ["xml_content (PAN masking on ", g.scope, ")"])) if {
	some [i, g] in _gaps
	g.unknown
}
