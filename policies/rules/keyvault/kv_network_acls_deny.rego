# METADATA
# title: "Key Vault firewall denies by default"
# description: "network_acls.default_action = Deny makes the vault firewall an allow-list; without it any network can reach the data plane."
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
package zonegate.rules.kv_network_acls_deny

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "network_acls.default_action", {"Deny"}, null, "Key Vault network_acls default_action is not Deny") if {
	some [i, r] in zg.resources("azurerm_key_vault")
	zg.managed(r)
}
