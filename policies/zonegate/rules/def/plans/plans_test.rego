package zonegate.rules.def.plans_test

import data.zonegate.rules.def.plans
import data.zonegate.testlib as tl
import rego.v1

_kv := tl.res("azurerm_key_vault", "kv", {})

_plan(t, tier) := tl.res("azurerm_security_center_subscription_pricing", lower(t), {"resource_type": t, "tier": tier})

test_deny_defender_plans_missing if {
	count(plans.deny) == 1 with input as tl.mk([_kv])
}

test_deny_defender_plans_free_tier if {
	count(plans.deny) == 1 with input as tl.mk([_kv, _plan("KeyVaults", "Free")])
}

test_deny_defender_plans_other_tenant if {
	other := tl.tenant_with(_plan("KeyVaults", "Standard"), {"id": "other"})
	count(plans.deny) == 1 with input as tl.mk([_kv, other])
}

test_deny_defender_plans_other_env if {
	other := tl.tenant_with(_plan("KeyVaults", "Standard"), {"env": "dev"})
	count(plans.deny) == 1 with input as tl.mk([_kv, other])
}

test_allow_defender_plans if {
	count(plans.deny) == 0 with input as tl.mk([_kv, _plan("KeyVaults", "Standard")])
}

test_allow_defender_plans_platform if {
	ctx := {"env": "prod", "region": "eastus2"}
	aks := tl.override(tl.res("azurerm_kubernetes_cluster", "aks", {}), {"tenant": null, "context": ctx})
	plan := tl.override(_plan("Containers", "Standard"), {"tenant": null, "context": ctx})
	count(plans.deny) == 0 with input as tl.mk([aks, plan])
	count(plans.deny) == 1 with input as tl.mk([aks, _plan("Containers", "Standard")])

	# another platform region is another subscription
	other := tl.override(_plan("Containers", "Standard"), {"tenant": null, "context": {"env": "prod", "region": "westus3"}})
	count(plans.deny) == 1 with input as tl.mk([aks, other])
}

test_deny_defender_plans_every_type if {
	rs := [
		tl.res("azurerm_resource_group", "rg", {}),
		tl.res("azurerm_storage_account", "st", {}),
		tl.res("azurerm_api_management", "apim", {}),
		_kv,
		_plan("KeyVaults", "Standard"),
	]
	count(plans.deny) == 3 with input as tl.mk(rs)
}
