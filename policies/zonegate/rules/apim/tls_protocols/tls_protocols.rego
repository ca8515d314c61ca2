# METADATA
# title: "API Management allows only TLS 1.2+"
# description: "SSL 3.0, TLS 1.0 and TLS 1.1 on the gateway's client or backend side are not strong cryptography (PCI DSS 4.2.1)."
# custom:
#   id: ZG-APIM-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["4.2.1", "2.2.7"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave every security { *_ssl30_enabled / *_tls10_enabled / *_tls11_enabled } false (azurerm v2/v3: enable_*) (constructs/api-management.ts)."
#   construct: constructs/api-management.ts
#   peers: {"checkov": ["CKV_AZURE_173"], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   mutations:
#     - {"type": "azurerm_api_management", "path": "security.backend_ssl30_enabled", "set": true}
#     - {"type": "azurerm_api_management", "path": "security.backend_ssl30_enabled", "unknown": true}
package zonegate.rules.apim.tls_protocols

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_settings := [
	["backend SSL 3.0", ["security.backend_ssl30_enabled", "security.enable_backend_ssl30", "security.enable_back_end_ssl30"]],
	["backend TLS 1.0", ["security.backend_tls10_enabled", "security.enable_backend_tls10"]],
	["backend TLS 1.1", ["security.backend_tls11_enabled", "security.enable_backend_tls11"]],
	["frontend SSL 3.0", ["security.frontend_ssl30_enabled", "security.enable_frontend_ssl30"]],
	["frontend TLS 1.0", ["security.frontend_tls10_enabled", "security.enable_frontend_tls10"]],
	["frontend TLS 1.1", ["security.frontend_tls11_enabled", "security.enable_frontend_tls11"]],
]

deny contains zg.check(meta.id, i, r, names, {false}, false, concat("", ["API Management enables ", label])) if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	some [label, names] in _settings
}
