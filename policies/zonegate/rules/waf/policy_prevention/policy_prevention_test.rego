package zonegate.rules.waf.policy_prevention_test

import data.zonegate.rules.waf.policy_prevention
import data.zonegate.testlib as tl
import rego.v1

_p(settings, sets) := tl.res("azurerm_web_application_firewall_policy", "w", {
	"policy_settings": settings,
	"managed_rules": {"managed_rule_set": sets},
})

_ok := {"enabled": true, "mode": "Prevention", "request_body_check": true}

test_deny_waf_policy_prevention_detection if {
	count(policy_prevention.deny) == 1 with input as tl.mk([_p(object.union(_ok, {"mode": "Detection"}), [{"type": "OWASP", "version": "3.2"}])])
	count(policy_prevention.deny) == 1 with input as tl.mk([_p({}, [{"type": "OWASP", "version": "3.2"}])])
}

test_deny_waf_policy_prevention_disabled if {
	count(policy_prevention.deny) == 2 with input as tl.mk([_p(object.union(_ok, {"enabled": false, "request_body_check": false}), [{"type": "OWASP", "version": "3.2"}])])
}

test_deny_waf_policy_prevention_old_crs if {
	count(policy_prevention.deny) == 1 with input as tl.mk([_p(_ok, [{"type": "OWASP", "version": "3.1"}])])
	count(policy_prevention.deny) == 1 with input as tl.mk([_p(_ok, [{"type": "Microsoft_BotManagerRuleSet", "version": "1.0"}])])
	count(policy_prevention.deny) == 1 with input as tl.mk([_p(_ok, [{"type": "Microsoft_DefaultRuleSet", "version": "2.0"}])])
}

test_allow_waf_policy_prevention if {
	count(policy_prevention.deny) == 0 with input as tl.mk([_p(_ok, [{"type": "OWASP", "version": "3.2"}])])
	count(policy_prevention.deny) == 0 with input as tl.mk([_p(_ok, [{"version": "3.2"}])])
	count(policy_prevention.deny) == 0 with input as tl.mk([_p(_ok, [{"type": "OWASP", "version": "4.0"}])])
	count(policy_prevention.deny) == 0 with input as tl.mk([_p(_ok, [{"type": "Microsoft_DefaultRuleSet", "version": "2.1"}])])
}

test_unknown_waf_policy_prevention if {
	some f in policy_prevention.deny with input as tl.mk([tl.unk(_p(object.remove(_ok, ["mode"]), [{"type": "OWASP", "version": "3.2"}]), ["policy_settings.0.mode"])])
	f.unknown
}

test_deny_waf_policy_frontdoor if {
	count(policy_prevention.deny) == 1 with input as tl.mk([tl.res("azurerm_cdn_frontdoor_firewall_policy", "f", {"mode": "Detection"})])
	count(policy_prevention.deny) == 1 with input as tl.mk([tl.res("azurerm_cdn_frontdoor_firewall_policy", "f", {"enabled": false})])
	count(policy_prevention.deny) == 0 with input as tl.mk([tl.res("azurerm_cdn_frontdoor_firewall_policy", "f", {})])
}
