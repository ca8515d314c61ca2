# METADATA
# title: "Every AKS cluster runs Kyverno with the zonegate policies"
# description: "Admission control is the in-cluster half of the gate: Kyverno must be installed with the baseline policies (no :latest, resource limits, restricted pod security, default-deny NetworkPolicy, allowed registries, labels)."
# custom:
#   id: ZG-K8S-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["2.2.1", "6.4.1", "1.2.1"], "gdpr": [], "sox": []}
#   enforcement: mandatory
#   remediation: "Add constructs/kyverno.ts (helm_release kyverno) and constructs/kyverno-policies.ts (the ClusterPolicies) to the cluster's compute stack."
#   construct: constructs/kyverno-policies.ts
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_kubernetes_cluster", "helm_release", "kubernetes_manifest"]
#   mutations:
#     - {"type": "helm_release", "path": "chart", "set": "nginx"}
#     - {"type": "kubernetes_manifest", "path": "manifest.kind", "set": "ConfigMap"}
package zonegate.rules.k8s.kyverno_policies

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

_required := {"disallow-latest-tag", "require-resource-limits", "restricted-pod-security", "require-default-deny-networkpolicy", "allowed-registries", "require-labels"}

_kyverno_stacks contains h.stack if {
	some [_, h] in zg.resources("helm_release")
	contains(lower(object.get(h.values, "chart", "")), "kyverno")
}

_policy(m) := name if {
	m.values.manifest.kind in {"ClusterPolicy", "Policy"}
	name := m.values.manifest.metadata.name
}

# _present_in[stack] is the set of required policy prefixes some manifest of that stack provides: one pass
# over the manifests, so a cluster looks its stack up instead of scanning every manifest per prefix.
_present_in[m.stack] contains req if {
	some [_, m] in zg.resources("kubernetes_manifest")
	name := _policy(m)
	some req in _required
	startswith(name, req)
}

_present(stack, req) if {
	ks := _present_in
	ks[stack][req]
}

deny contains zg.finding(meta.id, i, "No Kyverno helm_release in the cluster's stack") if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	all_kyverno_stacks := _kyverno_stacks
	not all_kyverno_stacks[r.stack]
}

deny contains zg.finding(meta.id, i, msg) if {
	some [i, r] in zg.resources("azurerm_kubernetes_cluster")
	zg.managed(r)
	missing := {q | some q in _required; not _present(r.stack, q)}
	count(missing) > 0
	msg := concat("", ["Kyverno policies missing: ", concat(", ", missing)])
}
