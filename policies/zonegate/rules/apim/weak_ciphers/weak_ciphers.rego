# METADATA
# title: "API Management disables weak cipher suites"
# description: "3DES, CBC-SHA1 and static-RSA key exchange suites lack forward secrecy or are broken; only ECDHE-GCM suites remain."
# custom:
#   id: ZG-APIM-004
#   severity: high
#   frameworks: {"pci-dss-4.0": ["4.2.1", "2.2.7"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Leave triple_des_ciphers_enabled (v2: enable_triple_des_ciphers) and every tls_rsa_* / tls_ecdhe_*_cbc_sha ciphers_enabled flag false."
#   construct: constructs/api-management.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_api_management"]
#   mutations:
#     - {"type": "azurerm_api_management", "path": "security.triple_des_ciphers_enabled", "set": true}
#     - {"type": "azurerm_api_management", "path": "security.triple_des_ciphers_enabled", "unknown": true}
package zonegate.rules.apim.weak_ciphers

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_settings := [
	["3DES", ["security.triple_des_ciphers_enabled", "security.enable_triple_des_ciphers"]],
	["tls_rsa_with_aes128_cbc_sha", ["security.tls_rsa_with_aes128_cbc_sha_ciphers_enabled"]],
	["tls_rsa_with_aes256_cbc_sha", ["security.tls_rsa_with_aes256_cbc_sha_ciphers_enabled"]],
	["tls_rsa_with_aes128_cbc_sha256", ["security.tls_rsa_with_aes128_cbc_sha256_ciphers_enabled"]],
	["tls_rsa_with_aes256_cbc_sha256", ["security.tls_rsa_with_aes256_cbc_sha256_ciphers_enabled"]],
	["tls_rsa_with_aes128_gcm_sha256", ["security.tls_rsa_with_aes128_gcm_sha256_ciphers_enabled"]],
	["tls_rsa_with_aes256_gcm_sha384", ["security.tls_rsa_with_aes256_gcm_sha384_ciphers_enabled"]],
	["tls_ecdhe_ecdsa_with_aes128_cbc_sha", ["security.tls_ecdhe_ecdsa_with_aes128_cbc_sha_ciphers_enabled"]],
	["tls_ecdhe_ecdsa_with_aes256_cbc_sha", ["security.tls_ecdhe_ecdsa_with_aes256_cbc_sha_ciphers_enabled"]],
	["tls_ecdhe_rsa_with_aes128_cbc_sha", ["security.tls_ecdhe_rsa_with_aes128_cbc_sha_ciphers_enabled"]],
	["tls_ecdhe_rsa_with_aes256_cbc_sha", ["security.tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled"]],
]

deny contains zg.check(meta.id, i, r, names, {false}, false, concat("", ["API Management enables ", label])) if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	some [label, names] in _settings
}
