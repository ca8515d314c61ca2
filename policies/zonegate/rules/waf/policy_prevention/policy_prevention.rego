# METADATA
# title: "WAF policies prevent attacks with a current OWASP rule set"
# description: "A WAF in Detection mode, disabled, without request body inspection or with an outdated rule set only logs what it should stop (PCI DSS 6.4.2, 6.4.1, 11.5.1). Application Gateway WAF policies must be enabled, in Prevention mode, inspect request bodies and use the OWASP Core Rule Set 3.2 or later (or Microsoft_DefaultRuleSet 2.1+); Front Door WAF policies must be enabled and in Prevention mode."
# custom:
#   id: ZG-WAF-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["6.4.1", "6.4.2", "11.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use constructs/waf-gateway.ts: its policy is enabled, Prevention, request body check on, OWASP CRS 3.2 (not props)."
#   construct: constructs/waf-gateway.ts
#   peers: {"checkov": ["CKV_AZURE_135", "CKV_AZURE_122"], "trivy": []}
#   resource_types: ["azurerm_web_application_firewall_policy", "azurerm_cdn_frontdoor_firewall_policy"]
#   mutations:
#     - {"type": "azurerm_web_application_firewall_policy", "path": "policy_settings.mode", "set": "Detection"}
#     - {"type": "azurerm_web_application_firewall_policy", "path": "policy_settings.mode", "unknown": true}
#     - {"type": "azurerm_web_application_firewall_policy", "path": "policy_settings.request_body_check", "set": false}
#     - {"type": "azurerm_web_application_firewall_policy", "path": "managed_rules.managed_rule_set", "set": [{"type": "OWASP", "version": "3.0"}]}
#     - {"type": "azurerm_cdn_frontdoor_firewall_policy", "where": {"type": "azurerm_api_management"}, "add": {"name": "fdwaf", "mode": "Detection", "sku_name": "Premium_AzureFrontDoor"}}
package zonegate.rules.waf.policy_prevention

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_policies := [[i, p] |
	some [i, p] in zg.resources("azurerm_web_application_firewall_policy")
	zg.managed(p)
]

deny contains zg.check(meta.id, i, p, "policy_settings.mode", {"Prevention"}, null, "WAF policy is not in Prevention mode") if {
	some [i, p] in _policies
}

deny contains zg.check(meta.id, i, p, "policy_settings.enabled", {true}, true, "WAF policy is disabled") if {
	some [i, p] in _policies
}

deny contains zg.check(meta.id, i, p, "policy_settings.request_body_check", {true}, true, "WAF policy does not inspect request bodies") if {
	some [i, p] in _policies
}

# OWASP >= 3.2, or the Microsoft default rule set >= 2.1
_current(s) if {
	s_type := object.get(s, "type", "OWASP")
	s_type == "OWASP"
	_at_least(s.version, [3, 2])
}

_current(s) if {
	s.type == "Microsoft_DefaultRuleSet"
	_at_least(s.version, [2, 1])
}

_at_least(v, min) if {
	is_string(v)
	parts := [to_number(x) | some x in split(v, "."); regex.match(`^[0-9]+$`, x)]
	count(parts) >= 2
	_ge(parts, min)
}

_ge(p, min) if p[0] > min[0]

_ge(p, min) if {
	p[0] == min[0]
	p[1] >= min[1]
}

deny contains zg.finding(meta.id, i, "WAF policy has no OWASP Core Rule Set 3.2+ (or Microsoft_DefaultRuleSet 2.1+)") if {
	some [i, p] in _policies
	not zg.unknown(p, "managed_rules")
	count([s |
		some m in zg.blocks(p.values, "managed_rules")
		some s in zg.blocks(m, "managed_rule_set")
		_current(s)
	]) == 0
}

deny contains zg.check(meta.id, i, p, "mode", {"Prevention"}, "Prevention", "Front Door WAF policy is not in Prevention mode") if {
	some [i, p] in zg.resources("azurerm_cdn_frontdoor_firewall_policy")
	zg.managed(p)
}

deny contains zg.check(meta.id, i, p, "enabled", {true}, true, "Front Door WAF policy is disabled") if {
	some [i, p] in zg.resources("azurerm_cdn_frontdoor_firewall_policy")
	zg.managed(p)
}
