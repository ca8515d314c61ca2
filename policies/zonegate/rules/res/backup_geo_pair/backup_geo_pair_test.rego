package zonegate.rules.res.backup_geo_pair_test

import data.zonegate.rules.res.backup_geo_pair
import data.zonegate.testlib as tl
import rego.v1

_v(loc, zone, extra) := tl.tenant_with(tl.res("azurerm_recovery_services_vault", "v", object.union({"location": loc}, extra)), {"residency": zone})

test_deny_res_backup_geo_pair_default if {
	count(backup_geo_pair.deny) == 1 with input as tl.mk([_v("brazilsouth", "br", {})])
}

test_allow_res_backup_geo_pair if {
	count(backup_geo_pair.deny) == 0 with input as tl.mk([_v("westeurope", "eu", {})])
}

test_allow_res_backup_geo_pair_zrs if {
	count(backup_geo_pair.deny) == 0 with input as tl.mk([_v("brazilsouth", "br", {"storage_mode_type": "ZoneRedundant"})])
}

test_unknown_res_backup_geo_pair if {
	some f in backup_geo_pair.deny with input as tl.mk([tl.unk(_v("westeurope", "eu", {}), ["storage_mode_type"])])
	f.unknown
}
