# METADATA
# title: "Every subscription has a security contact that receives alerts"
# description: "Defender for Cloud tells a named security contact about alerts (PCI DSS 12.10.1 incident response, 12.10.3 personnel available to respond, 10.7.2 failures of security controls detected and reported): each tenant × environment subscription (and each platform environment × region subscription) needs an azurerm_security_center_contact with an e-mail and alert_notifications = true."
# custom:
#   id: ZG-DEF-004
#   severity: medium
#   frameworks: {"pci-dss-4.0": ["12.10.1", "12.10.3", "10.7.2"], "gdpr": ["33"], "sox": []}
#   enforcement: mandatory
#   scope: estate
#   remediation: "constructs/defender-for-cloud.ts creates the contact from the tenant's contacts.security with alert_notifications = true and alerts_to_admins = true."
#   construct: constructs/defender-for-cloud.ts
#   peers: {"checkov": ["CKV_AZURE_20", "CKV_AZURE_21", "CKV_AZURE_22"], "trivy": ["AVD-AZU-0045", "AVD-AZU-0046"]}
#   resource_types: ["azurerm_security_center_contact", "azurerm_resource_group"]
#   mutations:
#     - {"type": "azurerm_security_center_contact", "path": "alert_notifications", "set": false}
#     - {"type": "azurerm_security_center_contact", "path": "alert_notifications", "unknown": true}
#     - {"type": "azurerm_security_center_contact", "path": "email", "delete": true}
package zonegate.rules.def.security_contact

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_contacts := [[i, c] |
	some [i, c] in zg.resources("azurerm_security_center_contact")
	zg.managed(c)
]

_notifying contains zg.owner_env(c) if {
	some [_, c] in _contacts
	c.values.alert_notifications == true
	zg.present(c, "email")
}

deny contains zg.check(meta.id, i, c, "alert_notifications", {true}, null, "Security contact does not receive alert notifications") if {
	some [i, c] in _contacts
}

deny contains zg.finding(meta.id, i, "Security contact has no e-mail address") if {
	some [i, c] in _contacts
	not zg.present(c, "email")
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_resource_group")
	zg.managed(r)
	ks := _notifying
	not ks[zg.owner_env(r)]
	msg := sprintf("No security contact with alert notifications in this subscription (%s)", [zg.owner_env(r)])
}
