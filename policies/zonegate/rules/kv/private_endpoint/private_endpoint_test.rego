package zonegate.rules.kv.private_endpoint_test

import data.zonegate.rules.kv.private_endpoint
import data.zonegate.testlib as tl
import rego.v1

_kv := tl.res("azurerm_key_vault", "kv", {})

_kv_id := tl.res("azurerm_key_vault", "kv2", {"id": "/subscriptions/1/vaults/KV2"})

test_deny_kv_private_endpoint if {
	fs := private_endpoint.deny with input as tl.mk([_kv])
	count(fs) == 1
}

test_allow_kv_private_endpoint_ref if {
	pe := tl.ref(tl.res("azurerm_private_endpoint", "pe", {"private_service_connection": {"private_connection_resource_id": null}}), "private_service_connection.0.private_connection_resource_id", _kv)
	count(private_endpoint.deny) == 0 with input as tl.mk([_kv, pe])
}

test_allow_kv_private_endpoint_id if {
	pe := tl.res("azurerm_private_endpoint", "pe", {"private_service_connection": [{"private_connection_resource_id": "/subscriptions/1/vaults/kv2"}]})
	count(private_endpoint.deny) == 0 with input as tl.mk([_kv_id, pe])
}

test_deny_kv_private_endpoint_other if {
	pe := tl.res("azurerm_private_endpoint", "pe", {"private_service_connection": [{"private_connection_resource_id": "/subscriptions/1/vaults/other"}]})
	count(private_endpoint.deny) == 1 with input as tl.mk([_kv_id, pe])
}
