# METADATA
# title: "Tenant APIs validate JWTs and rate-limit per caller"
# description: "Every tenant API call must carry a token validated for issuer and audience (validate-jwt with audiences) and be rate-limited per caller (rate-limit-by-key). Judged per endpoint — every product, every API through each of its products (or on its own when it is in none or needs no subscription), every operation — on the effective policy: global, product, API and operation policies parsed as XML and chained through <base /> (lib/gate/effective/api-management.ts). Only elements count, unconditionally in <inbound> (a comment, a header named validate-jwt or a validate-jwt inside <choose> does not); an API or operation policy without <base /> in <inbound> drops the product's and global controls. The finding names the policy that caused the gap."
# custom:
#   id: ZG-APIM-005
#   severity: high
#   frameworks: {"pci-dss-4.0": ["8.3.1", "6.4.1", "7.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Apply constructs/gateway-policy.ts to the tenant product (validate-jwt with the tenant's issuer/audience, rate-limit-by-key per subscription)."
#   construct: constructs/gateway-policy.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_product", "azurerm_api_management_product_policy", "azurerm_api_management_api", "azurerm_api_management_api_policy", "azurerm_api_management_api_operation", "azurerm_api_management_api_operation_policy", "azurerm_api_management_product_api"]
#   mutations:
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /></inbound></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "unknown": true}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /><!-- <validate-jwt header-name=\"Authorization\"><audiences><audience>x</audience></audiences></validate-jwt> --><set-header name=\"validate-jwt\" exists-action=\"override\"><value>rate-limit-by-key</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}
#     - {"type": "azurerm_api_management_product_policy", "path": "xml_content", "set": "<policies><inbound><base /><validate-jwt header-name=\"Authorization\"><audiences><audience>x</audience></audiences></validate-jwt><rate-limit-by-key calls=\"10\" renewal-period=\"60\" counter-key=\"k\" /></inbound><outbound><base /></outbound></policies"}
#     - {"type": "azurerm_api_management_api_policy", "where": {"type": "azurerm_api_management_product_policy"}, "add": {"api_name": "zg-mutation-api", "xml_content": "<policies><inbound><rate-limit-by-key calls=\"10\" renewal-period=\"60\" counter-key=\"k\" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"}}
package zonegate.rules.apim.jwt_rate_limit

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_controls := {"validate-jwt", "rate-limit-by-key"}

# Gaps of the effective policy chain, recorded on the resource that caused each (g.at is that resource).
_gaps := [[i, g] |
	some t in ["azurerm_api_management", "azurerm_api_management_policy", "azurerm_api_management_product", "azurerm_api_management_product_policy", "azurerm_api_management_api", "azurerm_api_management_api_policy", "azurerm_api_management_api_operation", "azurerm_api_management_api_operation_policy", "azurerm_api_management_product_api"]
	some [i, r] in zg.resources(t)
	zg.managed(r)
	some g in object.get(r, ["effective", "apim_gaps"], [])
	g.control in _controls
]

deny contains zg.finding(meta.id, i, concat("", [g.scope, " lacks ", g.control, ": ", g.reason])) if {
	some [i, g] in _gaps
	not g.unknown
}

deny contains zg.unknown_finding(meta.id, i, concat("", ["xml_content (", g.control, " on ", g.scope, ")"])) if {
	some [i, g] in _gaps
	g.unknown
}
