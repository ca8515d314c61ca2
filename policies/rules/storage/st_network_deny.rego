# METADATA
# title: "Storage account is closed to public networks"
# description: "Audit archives and CMK-encrypted data must not be reachable from the internet: public network access disabled or the firewall denies by default."
# custom:
#   id: ZG-ST-008
#   severity: high
#   frameworks: {"pci-dss-4.0": ["1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set public_network_access_enabled = false, or network_rules { default_action = \"Deny\" } (constructs/immutable-archive.ts)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": ["CKV_AZURE_35", "CKV_AZURE_59"], "trivy": ["AVD-AZU-0012"]}
#   resource_types: ["azurerm_storage_account", "azurerm_storage_account_network_rules"]
#   mutations:
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "set": true}
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "unknown": true}
#     - {"type": "azurerm_storage_account", "path": "public_network_access_enabled", "delete": true}
package zonegate.rules.st_network_deny

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_pna := "public_network_access_enabled"

_action := "network_rules.default_action"

_standalone_deny contains k if {
	some [_, n] in zg.resources("azurerm_storage_account_network_rules")
	n.values.default_action == "Deny"
	some k in zg.refs_to(n, "storage_account_id")
}

_closed(r) if zg.attr(r, _pna) == false

_closed(r) if zg.attr(r, _action) == "Deny"

_closed(r) if r.key in _standalone_deny

_undecided(r) if zg.unknown(r, _pna)

_undecided(r) if zg.unknown(r, _action)

deny contains zg.finding(meta.id, i, "Storage account is reachable from public networks (public network access enabled and firewall default_action is not Deny)") if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
	not _closed(r)
	not _undecided(r)
}

deny contains zg.unknown_finding(meta.id, i, _pna) if {
	some [i, r] in zg.resources("azurerm_storage_account")
	zg.managed(r)
	not _closed(r)
	_undecided(r)
}
