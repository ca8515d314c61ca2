package zonegate.rules.def.security_contact_test

import data.zonegate.rules.def.security_contact
import data.zonegate.testlib as tl
import rego.v1

_rg := tl.res("azurerm_resource_group", "rg", {})

_c(v) := tl.res("azurerm_security_center_contact", "c", v)

test_deny_security_contact_missing if {
	count(security_contact.deny) == 1 with input as tl.mk([_rg])
}

test_deny_security_contact_no_notifications if {
	count(security_contact.deny) == 2 with input as tl.mk([_rg, _c({"email": "soc@x.example", "alert_notifications": false})])
}

test_deny_security_contact_no_email if {
	count(security_contact.deny) == 2 with input as tl.mk([_rg, _c({"alert_notifications": true})])
}

test_allow_security_contact if {
	count(security_contact.deny) == 0 with input as tl.mk([_rg, _c({"email": "soc@x.example", "alert_notifications": true})])
}

test_unknown_security_contact if {
	some f in security_contact.deny with input as tl.mk([_rg, tl.unk(_c({"email": "soc@x.example"}), ["alert_notifications"])])
	f.unknown
}
