package zonegate.rules.log.local_auth_test

import data.zonegate.rules.log.local_auth
import data.zonegate.testlib as tl
import rego.v1

_w(v) := tl.res("azurerm_log_analytics_workspace", "w", v)

test_deny_la_local_auth if {
	count(local_auth.deny) == 1 with input as tl.mk([_w({"local_authentication_enabled": true})])
}

test_deny_legacy_la_local_auth if {
	count(local_auth.deny) == 1 with input as tl.mk([_w({"local_authentication_disabled": false})])
}

test_deny_la_local_auth_absent if {
	count(local_auth.deny) == 1 with input as tl.mk([_w({})])
}

test_allow_la_local_auth if {
	count(local_auth.deny) == 0 with input as tl.mk([_w({"local_authentication_enabled": false})])
}

test_allow_legacy_la_local_auth if {
	count(local_auth.deny) == 0 with input as tl.mk([_w({"local_authentication_disabled": true})])
}

test_unknown_la_local_auth if {
	some f in local_auth.deny with input as tl.mk([tl.unk(_w({}), ["local_authentication_enabled"])])
	f.unknown
}
