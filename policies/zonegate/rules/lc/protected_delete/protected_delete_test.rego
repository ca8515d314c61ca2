package zonegate.rules.lc.protected_delete_test

import data.zonegate.rules.lc.protected_delete
import data.zonegate.testlib as tl
import rego.v1

# plan(planned, deleted): a gate input whose `deleted` resources follow the planned ones (not in by_type).
plan(planned, deleted) := object.union(tl.mk(planned), {
	"resources": array.concat(planned, deleted),
	"deleted": [k | some j, _ in deleted; k := count(planned) + j],
})

declared(inp, released) := object.union(inp, {"offboarding": {"acme": {"archive_released": released, "retain_until": "2033-11-20"}}})

replaced(r) := tl.override(r, {"actions": ["delete", "create"], "before": r.values})

deleted(r) := tl.override(r, {"actions": ["delete"], "before": r.values})

kv := tl.res("azurerm_key_vault", "kv", {"name": "kv-acme", "purge_protection_enabled": true})

lock := tl.res("azurerm_management_lock", "rg", {"lock_level": "CanNotDelete"})

diag := tl.res("azurerm_monitor_diagnostic_setting", "kv", {"name": "diag"})

worm_policy := tl.res("azurerm_storage_container_immutability_policy", "audit", {
	"storage_container_resource_manager_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stacme/blobServices/default/containers/audit",
	"immutability_period_in_days": 2557,
	"locked": true,
})

worm_container := tl.res("azurerm_storage_container", "audit", {"resource_manager_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stacme/blobServices/default/containers/audit"})

worm_account := tl.res("azurerm_storage_account", "archive", {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stacme"})

other_account := tl.res("azurerm_storage_account", "scratch", {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/scratch"})

test_deny_replace_key_vault if {
	fs := protected_delete.deny with input as plan([replaced(kv)], [])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-LC-001"
	contains(f.message, "replaced")
}

test_deny_outright_delete_of_lock_and_diagnostics if {
	fs := protected_delete.deny with input as plan([kv], [deleted(lock), deleted(diag)])
	{f.resource | some f in fs} == {1, 2}
}

test_deny_create_before_destroy_replace_of_worm_policy if {
	r := tl.override(worm_policy, {"actions": ["create", "delete"], "before": worm_policy.values})
	count(protected_delete.deny) == 1 with input as plan([r], [])
}

test_deny_worm_account_and_container_found_by_id if {
	fs := protected_delete.deny with input as plan([], [deleted(worm_policy), deleted(worm_container), deleted(worm_account)])
	{f.resource | some f in fs} == {0, 1, 2}
}

test_deny_worm_container_found_by_reference if {
	p := tl.ref(tl.res(worm_policy.type, "p", {}), "storage_container_resource_manager_id", worm_container)
	c := tl.ref(tl.res("azurerm_storage_container", "audit", {}), "storage_account_id", worm_account)
	a := tl.res("azurerm_storage_account", "archive", {})
	fs := protected_delete.deny with input as plan([p], [deleted(c), deleted(a)])
	{f.resource | some f in fs} == {1, 2}
}

test_deny_audit_layer_storage if {
	a := tl.override(deleted(other_account), {"context": {"layer": "audit"}})
	count(protected_delete.deny) == 1 with input as plan([], [a])
}

test_allow_other_storage_account_deleted if {
	count(protected_delete.deny) == 0 with input as plan([], [deleted(other_account)])
}

test_allow_updates_and_creates if {
	u := tl.override(kv, {"actions": ["update"], "before": kv.values})
	count(protected_delete.deny) == 0 with input as plan([u, lock, diag], [])
}

test_allow_declared_offboarding_deletes_non_retained if {
	count(protected_delete.deny) == 0 with input as declared(plan([], [deleted(lock), deleted(diag)]), false)
}

test_deny_declared_offboarding_before_retention_end if {
	fs := protected_delete.deny with input as declared(plan([], [deleted(kv), deleted(worm_policy), deleted(lock)]), false)
	{f.resource | some f in fs} == {0, 1}
	some f in fs
	contains(f.message, "2033-11-20")
}

test_allow_declared_offboarding_after_retention_end if {
	count(protected_delete.deny) == 0 with input as declared(plan([], [deleted(kv), deleted(worm_policy), deleted(worm_container), deleted(worm_account)]), true)
}

test_deny_other_tenant_not_declared if {
	r := tl.tenant_with(deleted(lock), {"id": "globex"})
	count(protected_delete.deny) == 1 with input as declared(plan([], [r]), true)
}
