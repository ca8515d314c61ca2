package zonegate.rules.k8s.kyverno_enforce_prod_test

import data.zonegate.rules.k8s.kyverno_enforce_prod
import data.zonegate.testlib as tl
import rego.v1

_p(spec) := tl.res("kubernetes_manifest", "p", {"manifest": {"kind": "ClusterPolicy", "metadata": {"name": "require-labels"}, "spec": spec}})

_rules := [{"name": "r", "validate": {"message": "m"}}]

test_deny_kyverno_enforce_prod if {
	count(kyverno_enforce_prod.deny) == 1 with input as tl.mk([_p({"validationFailureAction": "Audit", "rules": _rules})])
}

test_deny_kyverno_enforce_prod_platform if {
	p := tl.override(_p({"rules": _rules}), {"tenant": null, "context": {"env": "prod", "platform": true}})
	count(kyverno_enforce_prod.deny) == 1 with input as tl.mk([p])
}

test_allow_kyverno_enforce_prod if {
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([_p({"validationFailureAction": "Enforce", "rules": _rules})])
}

test_allow_kyverno_enforce_prod_per_rule if {
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([_p({"rules": [{"name": "r", "validate": {"failureAction": "Enforce"}}, {"name": "g", "generate": {}}]})])
}

test_allow_kyverno_enforce_dev if {
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([tl.tenant_with(_p({"validationFailureAction": "Audit", "rules": _rules}), {"env": "dev"})])
}

test_deny_kyverno_enforce_prod_rule_overrides_policy if {
	# a rule-level Audit overrides a policy-level Enforce
	count(kyverno_enforce_prod.deny) == 1 with input as tl.mk([_p({"validationFailureAction": "Enforce", "rules": [{"name": "r", "validate": {"failureAction": "Audit"}}]})])
}

test_allow_kyverno_enforce_prod_rule_overrides_audit_policy if {
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([_p({"validationFailureAction": "Audit", "rules": [{"name": "r", "validate": {"failureAction": "Enforce"}}]})])
}

test_deny_kyverno_enforce_prod_one_rule_audit if {
	rules := [{"name": "a", "validate": {"failureAction": "Enforce"}}, {"name": "b", "validate": {"failureAction": "Audit"}}]
	count(kyverno_enforce_prod.deny) == 1 with input as tl.mk([_p({"rules": rules})])
}

_pol := object.union(tl.res("kubernetes_manifest", "p", {"manifest": {"kind": "ClusterPolicy", "metadata": {"name": "restricted-pod-security"}, "spec": {"rules": [{"name": "r", "validate": {"failureAction": "Enforce"}}]}}}), {"effective": {"kyverno_weakenings": [{"at": 1, "why": "is switched off for some resources by a PolicyException", "unknown": false}]}})

_exc := tl.res("kubernetes_manifest", "e", {"manifest": {"kind": "PolicyException", "metadata": {"name": "e"}}})

test_deny_kyverno_policy_exception if {
	fs := kyverno_enforce_prod.deny with input as tl.mk([_pol, _exc])
	count(fs) == 1
	some f in fs
	f.resource == 1
	f.message == "Kyverno policy restricted-pod-security is switched off for some resources by a PolicyException"
}

test_unknown_kyverno_weakening if {
	p := object.union(_pol, {"effective": {"kyverno_weakenings": [{"at": 0, "why": "", "unknown": true}]}})
	fs := kyverno_enforce_prod.deny with input as tl.mk([p])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_kyverno_weakening_outside_prod if {
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([tl.tenant_with(_pol, {"env": "dev"}), _exc])
}

test_allow_kyverno_weakening_of_other_policy if {
	p := object.union(_pol, {"values": {"manifest": {"kind": "ClusterPolicy", "metadata": {"name": "team-extra"}, "spec": {"rules": []}}}})
	count(kyverno_enforce_prod.deny) == 0 with input as tl.mk([p, _exc])
}
