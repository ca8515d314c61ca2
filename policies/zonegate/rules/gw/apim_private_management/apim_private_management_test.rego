package zonegate.rules.gw.apim_private_management_test

import data.zonegate.rules.gw.apim_private_management
import data.zonegate.testlib as tl
import rego.v1

_ok := {"tenant_access": {"enabled": false}, "sign_up": [{"enabled": false}], "hostname_configuration": {"proxy": [{"host_name": "x.azure-api.net"}]}}

_a(v) := tl.res("azurerm_api_management", "a", v)

test_deny_apim_private_management if {
	count(apim_private_management.deny) == 1 with input as tl.mk([_a(object.union(_ok, {"tenant_access": {"enabled": true}}))])
	count(apim_private_management.deny) == 1 with input as tl.mk([_a(object.union(_ok, {"sign_up": [{"enabled": true}]}))])
	count(apim_private_management.deny) == 2 with input as tl.mk([_a({"hostname_configuration": _ok.hostname_configuration})])
	count(apim_private_management.deny) == 1 with input as tl.mk([_a(object.union(_ok, {"hostname_configuration": {"scm": [{"host_name": "scm.bank.example"}]}}))])
}

test_allow_apim_private_management if {
	count(apim_private_management.deny) == 0 with input as tl.mk([_a(_ok)])
}

test_unknown_apim_private_management if {
	some f in apim_private_management.deny with input as tl.mk([tl.unk(_a(object.remove(_ok, ["tenant_access"])), ["tenant_access"])])
	f.unknown
}
