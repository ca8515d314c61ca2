package zonegate.rules.db.firewall_internet_test

import data.zonegate.rules.db.firewall_internet
import data.zonegate.testlib as tl
import rego.v1

_fw(t, a, b) := tl.res(t, "fw", {"start_ip_address": a, "end_ip_address": b})

test_deny_db_firewall_azure_services if {
	fs := firewall_internet.deny with input as tl.mk([_fw("azurerm_mssql_firewall_rule", "0.0.0.0", "0.0.0.0")])
	some f in fs
	f.message == "firewall rule 0.0.0.0-0.0.0.0 starts at 0.0.0.0 (all of Azure, or everything)"
}

test_deny_db_firewall_wide_public if {
	count(firewall_internet.deny) == 1 with input as tl.mk([_fw("azurerm_postgresql_flexible_server_firewall_rule", "1.0.0.0", "126.255.255.255")])
}

test_deny_db_firewall_private_to_public if {
	count(firewall_internet.deny) == 1 with input as tl.mk([_fw("azurerm_mssql_firewall_rule", "10.255.255.0", "11.0.1.0")])
}

test_deny_db_firewall_invalid if {
	rs := [_fw("azurerm_mssql_firewall_rule", "10.0.0.9", "10.0.0.1"), _fw("azurerm_mssql_firewall_rule", "300.1.1.1", "300.1.1.1")]
	count(firewall_internet.deny) == 2 with input as tl.mk(rs)
}

test_deny_db_firewall_redis_names if {
	count(firewall_internet.deny) == 1 with input as tl.mk([tl.res("azurerm_redis_firewall_rule", "r", {"start_ip": "0.0.0.0", "end_ip": "255.255.255.255"})])
}

test_deny_db_firewall_cosmos if {
	rs := [
		tl.res("azurerm_cosmosdb_account", "a", {"ip_range_filter": ["0.0.0.0", "52.0.0.0/8", "10.0.0.0/8", "x"]}),
		tl.res("azurerm_cosmosdb_account", "b", {"ip_range_filter": "104.42.195.92,0.0.0.0/0"}),
	]
	count(firewall_internet.deny) == 4 with input as tl.mk(rs)
}

test_allow_db_firewall if {
	rs := [
		_fw("azurerm_mssql_firewall_rule", "10.1.0.0", "10.1.255.255"),
		_fw("azurerm_mssql_firewall_rule", "203.0.113.10", "203.0.113.10"),
		tl.res("azurerm_cosmosdb_account", "a", {"ip_range_filter": ["203.0.113.0/24", "192.168.0.0/16"]}),
		tl.ref(tl.res("azurerm_mssql_firewall_rule", "r", {"end_ip_address": "10.0.0.1"}), "start_ip_address", tl.res("azurerm_subnet", "s", {})),
	]
	count(firewall_internet.deny) == 0 with input as tl.mk(rs)
}

test_unknown_db_firewall if {
	some f in firewall_internet.deny with input as tl.mk([tl.unk(tl.res("azurerm_mssql_firewall_rule", "r", {"end_ip_address": "10.0.0.1"}), ["start_ip_address"])])
	f.unknown
}

test_unknown_db_firewall_cosmos if {
	some f in firewall_internet.deny with input as tl.mk([tl.unk(tl.res("azurerm_cosmosdb_account", "a", {}), ["ip_range_filter"])])
	f.unknown
}
