# METADATA
# title: "API Management's management plane and developer portal stay private"
# description: "Administrative interfaces are not reachable from untrusted networks and self-service access is not granted (PCI DSS 1.3.1, 1.4.1, 2.2.5, 8.2.2): in Internal VNet mode the management API, developer portal and SCM endpoints sit on the private address only; they must not be published under custom host names (hostname_configuration management, portal, developer_portal, scm), direct management API (tenant) access must be off and developer-portal sign-up must be off."
# custom:
#   id: ZG-GW-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1", "2.2.5", "8.2.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use constructs/api-management.ts: tenant_access and sign_up disabled, only the proxy (gateway) host name configured, Internal VNet mode (not props)."
#   construct: constructs/api-management.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   mutations:
#     - {"type": "azurerm_api_management", "path": "tenant_access.enabled", "set": true}
#     - {"type": "azurerm_api_management", "path": "sign_up.enabled", "set": true}
#     - {"type": "azurerm_api_management", "path": "hostname_configuration.developer_portal", "set": [{"host_name": "portal.bank.example"}]}
#     - {"type": "azurerm_api_management", "path": "tenant_access", "delete": true}
package zonegate.rules.gw.apim_private_management

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_private_hosts := ["management", "portal", "developer_portal", "scm"]

_services := [[i, r] |
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
]

deny contains zg.check(meta.id, i, r, "tenant_access.enabled", {false}, null, "API Management direct management (tenant) access is not disabled") if {
	some [i, r] in _services
}

deny contains zg.check(meta.id, i, r, "sign_up.enabled", {false}, null, "API Management developer portal sign-up is not disabled") if {
	some [i, r] in _services
}

deny contains zg.finding(meta.id, i, sprintf("API Management publishes its %s endpoint under a custom host name", [h])) if {
	some [i, r] in _services
	some hc in zg.blocks(r.values, "hostname_configuration")
	some h in _private_hosts
	count(zg.blocks(hc, h)) > 0
}
