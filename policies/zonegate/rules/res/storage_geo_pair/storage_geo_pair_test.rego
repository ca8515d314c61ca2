package zonegate.rules.res.storage_geo_pair_test

import data.zonegate.rules.res.storage_geo_pair
import data.zonegate.testlib as tl
import rego.v1

_sa(loc, rep, zone) := tl.tenant_with(tl.res("azurerm_storage_account", "sa", {"location": loc, "account_replication_type": rep}), {"residency": zone})

test_deny_res_storage_geo_pair if {
	count(storage_geo_pair.deny) == 1 with input as tl.mk([_sa("brazilsouth", "GRS", "br")])
}

test_allow_res_storage_geo_pair if {
	count(storage_geo_pair.deny) == 0 with input as tl.mk([_sa("westeurope", "RAGRS", "eu")])
}

test_allow_res_storage_geo_pair_zrs if {
	count(storage_geo_pair.deny) == 0 with input as tl.mk([_sa("brazilsouth", "ZRS", "br")])
}

test_deny_res_storage_geo_pair_no_pair if {
	count(storage_geo_pair.deny) == 1 with input as tl.mk([_sa("italynorth", "GZRS", "eu")])
}

test_unknown_res_storage_geo_pair if {
	some f in storage_geo_pair.deny with input as tl.mk([tl.unk(tl.res("azurerm_storage_account", "sa", {"location": "westeurope"}), ["account_replication_type"])])
	f.unknown
}
