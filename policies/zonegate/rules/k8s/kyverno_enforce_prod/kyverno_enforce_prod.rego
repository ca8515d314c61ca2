# METADATA
# title: "Kyverno validation policies enforce in prod"
# description: "In production the baseline Kyverno policies must block (Enforce), not only audit, non-compliant workloads. Each validate rule is judged by its effective action, as Kyverno does: the rule's validate.failureAction when set (it overrides the policy), else spec.validationFailureAction, else Kyverno's default Audit. What weakens a policy counts against it (lib/gate/effective/kyverno.ts), with the finding on the resource that weakens it: a PolicyException naming it (unless the Kyverno release disables exceptions), validationFailureActionOverrides to Audit, webhook failurePolicy Ignore (in the policy, or forced by the release's features.forceFailurePolicyIgnore), admission: false, and namespace exclusions beyond the system namespaces (rule exclude blocks, the release's webhook namespaceSelector or resourceFilters)."
# custom:
#   id: ZG-K8S-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["2.2.1", "6.4.1"], "gdpr": [], "sox": []}
#   enforcement: {"default": "mandatory", "dev": "advisory"}
#   remediation: "Set spec.validationFailureAction = Enforce (or validate.failureAction = Enforce per rule); constructs/kyverno-policies.ts does it when env is prod (lib/kyverno/policies.ts failureActionFor)."
#   construct: constructs/kyverno-policies.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["kubernetes_manifest", "helm_release"]
#   mutations:
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "path": "manifest.spec.rules.0.validate.failureAction", "set": "Audit"}
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "path": "manifest.spec.rules.0.validate.failureAction", "delete": true}
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "set": {"manifest.spec.validationFailureAction": "Enforce", "manifest.spec.rules.0.validate.failureAction": "Audit"}}
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "path": "manifest.spec.webhookConfiguration.failurePolicy", "set": "Ignore"}
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "path": "manifest.spec.validationFailureActionOverrides", "set": [{"action": "Audit", "namespaces": ["payments"]}]}
#     - {"type": "kubernetes_manifest", "where": {"context.env": "prod", "values.manifest.spec.rules.0.validate.failureAction": "Enforce"}, "path": "manifest.spec.rules.0.exclude", "set": {"any": [{"resources": {"namespaces": ["kube-system", "payments"]}}]}}
#     - {"type": "helm_release", "where": {"context.env": "prod", "values.chart": "kyverno"}, "path": "set", "set": [{"name": "features.forceFailurePolicyIgnore.enabled", "value": "true"}]}
#     - {"type": "helm_release", "where": {"context.env": "prod", "values.chart": "kyverno"}, "path": "values", "set": ["config:\n  webhooks:\n    - namespaceSelector:\n        matchExpressions:\n          - key: kubernetes.io/metadata.name\n            operator: NotIn\n            values: [kube-system, payments]\n"]}
package zonegate.rules.k8s.kyverno_enforce_prod

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_required := ["disallow-latest-tag", "require-resource-limits", "restricted-pod-security", "require-default-deny-networkpolicy", "allowed-registries", "require-labels"]

_validating(spec) if {
	some ru in spec.rules
	ru.validate
}

# _action(spec, ru) is the effective failure action of a validate rule: the rule's validate.failureAction
# overrides the policy's spec.validationFailureAction; neither set is Kyverno's default, Audit.
_action(spec, ru) := lower(object.get(ru, ["validate", "failureAction"], object.get(spec, "validationFailureAction", "Audit")))

_enforced(spec) if {
	every ru in spec.rules {
		_rule_enforced(spec, ru)
	}
}

_rule_enforced(_, ru) if not ru.validate

_rule_enforced(spec, ru) if _action(spec, ru) == "enforce"

_required_policy(r) := m if {
	m := r.values.manifest
	m.kind in {"ClusterPolicy", "Policy"}
	some q in _required
	startswith(m.metadata.name, q)
}

# What weakens a required policy, on the resource that weakens it (w.at).
deny contains zg.finding(meta.id, w.at, concat("", ["Kyverno policy ", m.metadata.name, " ", w.why])) if {
	some [_, r] in zg.resources("kubernetes_manifest")
	zg.prod(r)
	m := _required_policy(r)
	some w in object.get(r, ["effective", "kyverno_weakenings"], [])
	not w.unknown
}

deny contains zg.unknown_finding(meta.id, w.at, concat("", ["Kyverno settings weakening ", m.metadata.name])) if {
	some [_, r] in zg.resources("kubernetes_manifest")
	zg.prod(r)
	m := _required_policy(r)
	some w in object.get(r, ["effective", "kyverno_weakenings"], [])
	w.unknown
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("kubernetes_manifest")
	zg.prod(r)
	m := r.values.manifest
	m.kind in {"ClusterPolicy", "Policy"}
	some q in _required
	startswith(m.metadata.name, q)
	_validating(m.spec)
	not _enforced(m.spec)
	msg := concat("", ["Kyverno policy ", m.metadata.name, " does not Enforce in prod"])
}
