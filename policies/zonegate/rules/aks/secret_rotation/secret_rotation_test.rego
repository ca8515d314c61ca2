package zonegate.rules.aks.secret_rotation_test

import data.zonegate.rules.aks.secret_rotation
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_secret_rotation if {
	fs := secret_rotation.deny with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"key_vault_secrets_provider": {"secret_rotation_enabled": false}})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-AKS-011"
	f.unknown == false
}

test_allow_aks_secret_rotation if {
	count(secret_rotation.deny) == 0 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"key_vault_secrets_provider": {"secret_rotation_enabled": true}})])
}

test_unknown_aks_secret_rotation if {
	fs := secret_rotation.deny with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "x", {}), ["key_vault_secrets_provider.secret_rotation_enabled"])])
	some f in fs
	f.unknown == true
}

test_absent_aks_secret_rotation if {
	count(secret_rotation.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {})])
}

test_deny_list_block_aks_secret_rotation if {
	count(secret_rotation.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "x", {"key_vault_secrets_provider": [{"secret_rotation_enabled": false}]})])
}
