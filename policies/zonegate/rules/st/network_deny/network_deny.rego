# METADATA
# title: "Storage account is closed to public networks"
# description: "Audit archives and CMK-encrypted data must not be reachable from the internet: public network access is disabled (reached through private endpoints only). A firewall with default_action = Deny alone is not enough: the public endpoint stays open to allow-listed IPs, VNets and the trusted-services bypass."
# custom:
#   id: ZG-ST-008
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set public_network_access_enabled = false and reach the account through private endpoints (constructs/immutable-archive.ts); keep network_rules { default_action = \"Deny\" } as defence in depth."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_35", "CKV_AZURE_59"], "trivy": ["AVD-AZU-0012"]}
#   resource_types: ["azurerm_storage_account"]
#   stricter_than_peers: "checkov CKV_AZURE_35 passes an account whose firewall default_action is Deny while public_network_access_enabled is true or unset (provider default true); the public endpoint then still answers allow-listed IPs/VNets and the trusted-services bypass, so we require public network access to be disabled (as CKV_AZURE_59 does). The same holds for regula storage_account_deny_access (plan corpus regula_storage_network_deny.json: validstorageaccount1/2 pass there with default_action Deny, one with an allow-listed public IP, and fail here)."
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "set": true}
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "unknown": true}
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "delete": true}
package zonegate.rules.st.network_deny

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_pna := "public_network_access_enabled"

# The provider default is true (absent = open); unknown cannot be verified.
deny contains zg.check(meta.id, i, r, _pna, {false}, true, "Storage account is reachable from public networks (public_network_access_enabled is not false)") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
}
