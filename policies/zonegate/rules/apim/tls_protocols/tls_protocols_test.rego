package zonegate.rules.apim.tls_protocols_test

import data.zonegate.rules.apim.tls_protocols
import data.zonegate.testlib as tl
import rego.v1

test_deny_apim_tls_protocols if {
	count(tls_protocols.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": [{"backend_ssl30_enabled": true}]})])
}

test_deny_legacy_apim_tls_protocols if {
	count(tls_protocols.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": {"enable_back_end_ssl30": true}})])
}

test_allow_apim_tls_protocols if {
	count(tls_protocols.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"security": {"backend_ssl30_enabled": false}})])
}

test_allow_apim_tls_protocols_defaults if {
	count(tls_protocols.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {})])
}

test_unknown_apim_tls_protocols if {
	some f in tls_protocols.deny with input as tl.mk([tl.unk(tl.res("azurerm_api_management", "a", {}), ["security.0.backend_ssl30_enabled"])])
	f.unknown
}
