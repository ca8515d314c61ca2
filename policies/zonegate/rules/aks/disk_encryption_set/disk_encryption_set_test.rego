package zonegate.rules.aks.disk_encryption_set_test

import data.zonegate.rules.aks.disk_encryption_set
import data.zonegate.testlib as tl
import rego.v1

test_deny_aks_disk_encryption_set if {
	count(disk_encryption_set.deny) == 1 with input as tl.mk([tl.res("azurerm_kubernetes_cluster", "c", {})])
}

test_allow_aks_disk_encryption_set_ref if {
	des := tl.res("azurerm_disk_encryption_set", "d", {})
	c := tl.ref(tl.res("azurerm_kubernetes_cluster", "c", {"disk_encryption_set_id": "${azurerm_disk_encryption_set.d.id}"}), "disk_encryption_set_id", des)
	count(disk_encryption_set.deny) == 0 with input as tl.mk([c, des])
}

test_allow_aks_disk_encryption_set_unknown if {
	count(disk_encryption_set.deny) == 0 with input as tl.mk([tl.unk(tl.res("azurerm_kubernetes_cluster", "c", {}), ["disk_encryption_set_id"])])
}
