# METADATA
# title: "Audit archive immutability policy is locked and long enough"
# description: "Audit logs must be write-once (WORM) for the framework retention: PCI DSS 10.5.1 one year, SOX seven years (2557 days). An unlocked policy can be shortened or removed."
# custom:
#   id: ZG-ST-009
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["10.5.1", "10.3.2", "10.3.3"], "gdpr": [], "sox": ["802", "404"]}
#   enforcement: mandatory
#   remediation: "Lock the container's azurerm_storage_container_immutability_policy (locked = true) with immutability_period_in_days >= 365 (PCI) / 2557 (SOX) (constructs/immutable-archive.ts)."
#   construct: constructs/immutable-archive.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_storage_container_immutability_policy"]
#   mutations:
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "locked", "set": false}
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "locked", "delete": true}
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "locked", "unknown": true}
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "immutability_period_in_days", "set": 30}
#     - {"type": "azurerm_storage_container_immutability_policy", "path": "immutability_period_in_days", "unknown": true}
package zonegate.rules.st.worm_policy

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "locked", {true}, false, "Immutability policy is not locked") if {
	some [i, r] in zg.resources("azurerm_storage_container_immutability_policy")
	zg.managed(r)
}

deny contains zg.check_min(meta.id, i, r, "immutability_period_in_days", min, null, msg) if {
	some [i, r] in zg.resources("azurerm_storage_container_immutability_policy")
	zg.managed(r)
	min := zg.min_days(r, 365, 2557, 365)
	msg := concat("", ["Immutability period is below the ", format_int(min, 10), " days the tenant's frameworks require"])
}
