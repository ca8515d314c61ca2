package zonegate.rules.k8s.kyverno_policies_test

import data.zonegate.rules.k8s.kyverno_policies
import data.zonegate.testlib as tl
import rego.v1

_aks := tl.res("azurerm_kubernetes_cluster", "c", {})

_helm := tl.res("helm_release", "k", {"chart": "kyverno"})

_pol(name) := tl.res("kubernetes_manifest", name, {"manifest": {"kind": "ClusterPolicy", "metadata": {"name": name}}})

_all := [_pol(n) | some n in ["disallow-latest-tag", "require-resource-limits", "restricted-pod-security", "require-default-deny-networkpolicy", "allowed-registries", "require-labels"]]

test_deny_kyverno_policies_none if {
	count(kyverno_policies.deny) == 2 with input as tl.mk([_aks])
}

test_deny_kyverno_policies_missing_one if {
	fs := kyverno_policies.deny with input as tl.mk(array.concat([_aks, _helm], array.slice(_all, 1, 6)))
	count(fs) == 1
	some f in fs
	f.message == "Kyverno policies missing: disallow-latest-tag"
}

test_allow_kyverno_policies if {
	count(kyverno_policies.deny) == 0 with input as tl.mk(array.concat([_aks, _helm], _all))
}
