# METADATA
# title: "Defender for Cloud plans are at tier Standard"
# description: "A Defender plan at tier Free turns threat detection off for its resource type (PCI DSS 5.2.1, 5.3.1, 11.5.1); every plan zonegate declares must be Standard. A tier known only after apply cannot be verified."
# custom:
#   id: ZG-DEF-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["5.2.1", "5.3.1", "11.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Set tier = \"Standard\" on azurerm_security_center_subscription_pricing (constructs/defender-for-cloud.ts does; tier is not a prop)."
#   construct: constructs/defender-for-cloud.ts
#   peers: {"checkov": ["CKV_AZURE_234", "CKV_AZURE_87"], "trivy": ["AVD-AZU-0044"]}
#   resource_types: ["azurerm_security_center_subscription_pricing"]
#   mutations:
#     - {"type": "azurerm_security_center_subscription_pricing", "path": "tier", "set": "Free"}
#     - {"type": "azurerm_security_center_subscription_pricing", "path": "tier", "delete": true}
#     - {"type": "azurerm_security_center_subscription_pricing", "path": "tier", "unknown": true}
package zonegate.rules.def.tier

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.check(meta.id, i, r, "tier", {"Standard"}, null, "Defender for Cloud plan is not at tier Standard") if {
	some [i, r] in zg.resources("azurerm_security_center_subscription_pricing")
	zg.managed(r)
}
