# METADATA
# title: "The egress firewall denies known-malicious traffic and intrusions"
# description: "Intrusion-detection and/or intrusion-prevention techniques detect and prevent intrusions into the network (PCI DSS 11.5.1, 11.5.1.1) and traffic to and from known-malicious destinations is blocked (1.4.2, 5.2.1): every Azure Firewall uses a firewall policy, and every firewall policy is Premium with threat intelligence and intrusion detection (IDPS) in Deny mode (the defaults are Alert and off)."
# custom:
#   id: ZG-EGR-003
#   severity: high
#   frameworks: {"pci-dss-4.0": ["11.5.1", "11.5.1.1", "1.4.2", "5.2.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use constructs/egress-firewall.ts: Premium policy, threat_intelligence_mode = \"Deny\", intrusion_detection { mode = \"Deny\" }, attached to the firewall (not props)."
#   construct: constructs/egress-firewall.ts
#   peers: {"checkov": ["CKV_AZURE_216", "CKV_AZURE_219", "CKV_AZURE_220"], "trivy": []}
#   resource_types: ["azurerm_firewall_policy", "azurerm_firewall"]
#   mutations:
#     - {"type": "azurerm_firewall_policy", "path": "threat_intelligence_mode", "set": "Alert"}
#     - {"type": "azurerm_firewall_policy", "path": "intrusion_detection", "delete": true}
#     - {"type": "azurerm_firewall_policy", "path": "intrusion_detection.mode", "set": "Alert"}
#     - {"type": "azurerm_firewall_policy", "path": "sku", "set": "Standard"}
#     - {"type": "azurerm_firewall_policy", "path": "threat_intelligence_mode", "unknown": true}
#     - {"type": "azurerm_firewall", "path": "firewall_policy_id", "delete": true}
package zonegate.rules.egr.firewall_policy_threats

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_policies := [[i, p] |
	some [i, p] in zg.resources("azurerm_firewall_policy")
	zg.managed(p)
]

deny contains zg.check(meta.id, i, p, "threat_intelligence_mode", {"Deny"}, "Alert", "Firewall policy threat intelligence is not in Deny mode") if {
	some [i, p] in _policies
}

deny contains zg.check(meta.id, i, p, "intrusion_detection.mode", {"Deny"}, "Off", "Firewall policy intrusion detection (IDPS) is not in Deny mode") if {
	some [i, p] in _policies
}

deny contains zg.check(meta.id, i, p, "sku", {"Premium"}, "Standard", "Firewall policy is not Premium (no IDPS)") if {
	some [i, p] in _policies
}

deny contains zg.finding(meta.id, i, "Azure Firewall has no firewall policy") if {
	some [i, f] in zg.resources("azurerm_firewall")
	zg.managed(f)
	not zg.present(f, "firewall_policy_id")
}
