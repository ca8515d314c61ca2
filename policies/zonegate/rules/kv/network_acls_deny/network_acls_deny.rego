# METADATA
# title: "Key Vault firewall denies by default"
# description: "network_acls.default_action = Deny makes the vault firewall an allow-list; without it any network can reach the data plane. An allow-list is only one if it is narrow: ip_rules reaching more than one /16 of public IPv4 or one /48 of IPv6 (by address arithmetic, e.g. 0.0.0.0/1 + 128.0.0.0/1) open the vault to the internet, and entries that are not addresses cannot be verified."
# custom:
#   id: ZG-KV-005
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set network_acls { default_action = \"Deny\", bypass = \"AzureServices\" } (constructs/key-vault.ts)."
#   construct: constructs/key-vault.ts
#   peers: {"checkov": ["CKV_AZURE_109"], "trivy": ["AVD-AZU-0013"]}
#   resource_types: ["azurerm_key_vault"]
#   mutations:
#     - {"type": "azurerm_key_vault", "path": "network_acls.default_action", "set": "Allow"}
#     - {"type": "azurerm_key_vault", "path": "network_acls.default_action", "delete": true}
#     - {"type": "azurerm_key_vault", "path": "network_acls.default_action", "unknown": true}
#     - {"type": "azurerm_key_vault", "path": "network_acls.ip_rules", "set": ["0.0.0.0/1", "128.0.0.0/1"]}
#     - {"type": "azurerm_key_vault", "path": "network_acls.ip_rules", "set": ["2001:db8::/32"]}
package zonegate.rules.kv.network_acls_deny

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "network_acls.default_action", {"Deny"}, null, "Key Vault network_acls default_action is not Deny") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}

deny contains zg.finding(meta.id, i, concat("", ["Key Vault firewall allow-lists internet-wide ranges: ", concat(", ", a.ip_sources)])) if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	a := r.effective.network_acls
	a.ip_broad
}

deny contains zg.finding(meta.id, i, concat("", ["Key Vault firewall ip_rules the gate cannot resolve to addresses: ", concat(", ", a.ip_unresolved)])) if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	a := r.effective.network_acls
	count(a.ip_unresolved) > 0
}

deny contains zg.unknown_finding(meta.id, i, "network_acls.ip_rules") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
	r.effective.network_acls.ip_unknown
}
