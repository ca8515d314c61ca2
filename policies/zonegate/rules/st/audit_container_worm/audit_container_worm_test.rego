package zonegate.rules.st.audit_container_worm_test

import data.zonegate.rules.st.audit_container_worm
import data.zonegate.testlib as tl
import rego.v1

_c(name) := tl.res("azurerm_storage_container", name, {"name": name, "resource_manager_id": "/sub/rm/c1"})

test_deny_st_audit_container_worm if {
	count(audit_container_worm.deny) == 1 with input as tl.mk([_c("audit-logs")])
}

test_deny_st_audit_container_worm_archive if {
	count(audit_container_worm.deny) == 1 with input as tl.mk([_c("archive")])
}

test_allow_st_audit_container_worm_other_name if {
	count(audit_container_worm.deny) == 0 with input as tl.mk([_c("uploads")])
}

test_allow_st_audit_container_worm_ref if {
	c := _c("insights-logs-audit")
	p := tl.ref(tl.res("azurerm_storage_container_immutability_policy", "p", {}), "storage_container_resource_manager_id", c)
	count(audit_container_worm.deny) == 0 with input as tl.mk([c, p])
}

test_allow_st_audit_container_worm_id if {
	c := _c("audit")
	p := tl.res("azurerm_storage_container_immutability_policy", "p", {"storage_container_resource_manager_id": "/sub/rm/C1"})
	count(audit_container_worm.deny) == 0 with input as tl.mk([c, p])
}

test_allow_st_audit_container_worm_plain_id if {
	c := tl.res("azurerm_storage_container", "c", {"name": "audit", "id": "/sub/c2"})
	p := tl.res("azurerm_storage_container_immutability_policy", "p", {"storage_container_resource_manager_id": "/sub/c2"})
	count(audit_container_worm.deny) == 0 with input as tl.mk([c, p])
}
