# METADATA
# title: "Storage firewall in force denies by default and allow-lists no internet-wide ranges"
# description: "The storage account firewall that is in force after apply — the inline network_rules block and every separate azurerm_storage_account_network_rules resource for the account (applied after it, so it can re-open what the account closed) — must default to Deny and must not allow-list internet-wide ranges (judged by address arithmetic: more than one /16 of public IPv4 or one /48 of IPv6, e.g. 0.0.0.0/1 + 128.0.0.0/1). No firewall at all is the provider default, Allow. Defence in depth behind public_network_access_enabled = false (ZG-ST-008)."
# custom:
#   id: ZG-ST-011
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1", "1.4.2"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Keep network_rules { default_action = \"Deny\" } and list only specific addresses in ip_rules, in the account or in its azurerm_storage_account_network_rules (constructs/immutable-archive.ts)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_storage_account", "azurerm_storage_account_network_rules"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "network_rules.default_action", "set": "Allow"}
#     - {"type": "azurerm_storage_account", "path": "network_rules", "delete": true}
#     - {"type": "azurerm_storage_account", "path": "network_rules.ip_rules", "set": ["0.0.0.0/1", "128.0.0.0/1"]}
#     - {"type": "azurerm_storage_account", "path": "network_rules.default_action", "unknown": true}
package zonegate.rules.st.firewall_effective

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# The firewall definitions in force (lib/gate/effective/storage-account.ts): on each account its inline block and
# separate network-rules resources; on a network-rules resource whose account is not in the input, itself.
# a.at is the resource that declares the definition.
_acls := [a |
	some t in ["azurerm_storage_account", "azurerm_storage_account_network_rules"]
	some [_, r] in zg.resources(t)
	zg.managed(r)
	some a in object.get(r, ["effective", "network_acls"], [])
]

_what(a) := "no network_rules: the provider default action Allow is in force" if a.absent

_what(a) := concat("", ["network rules default_action is ", a.default_action, ", not deny"]) if not a.absent

deny contains zg.finding(meta.id, a.at, concat("", ["Storage firewall is open: ", _what(a)])) if {
	some a in _acls
	not a.default_action in {"deny", "unknown"}
}

deny contains zg.finding(meta.id, a.at, concat("", ["Storage firewall allow-lists internet-wide ranges: ", concat(", ", a.ip_sources)])) if {
	some a in _acls
	a.ip_broad
}

deny contains zg.finding(meta.id, a.at, concat("", ["Storage firewall ip_rules the gate cannot resolve to addresses: ", concat(", ", a.ip_unresolved)])) if {
	some a in _acls
	count(a.ip_unresolved) > 0
}

deny contains zg.unknown_finding(meta.id, a.at, "network_rules.default_action") if {
	some a in _acls
	a.default_action == "unknown"
}

deny contains zg.unknown_finding(meta.id, a.at, "network_rules.ip_rules") if {
	some a in _acls
	a.ip_unknown
}
