package zonegate.rules.kv.key_rotation_test

import data.zonegate.rules.kv.key_rotation
import data.zonegate.testlib as tl
import rego.v1

_absent := {"state": "absent"}

_days(n) := {"state": "known", "days": n}

_k(v) := object.union(tl.res("azurerm_key_vault_key", "k", {}), {"effective": {"key": object.union(
	{"expiration": _days(365), "rotation_policy": true, "expire_after": _days(365), "time_before_expiry": _days(30), "time_after_creation": _absent},
	v,
)}})

test_deny_kv_key_rotation if {
	count(key_rotation.deny) == 1 with input as tl.mk([_k({"time_before_expiry": _absent})])
}

test_deny_kv_key_rotation_five_years if {
	fs := key_rotation.deny with input as tl.mk([_k({"time_before_expiry": _absent, "time_after_creation": _days(1825)})])
	count(fs) == 1
	some f in fs
	f.message == "Key Vault key rotates 1825 days after creation, beyond the 365-day maximum"
}

test_deny_kv_key_rotation_before_expiry_too_long if {
	fs := key_rotation.deny with input as tl.mk([_k({"time_before_expiry": _days(730)})])
	count(fs) == 1
	some f in fs
	contains(f.message, "not shorter than expire_after")
}

test_deny_kv_key_rotation_invalid if {
	count(key_rotation.deny) == 1 with input as tl.mk([_k({"time_before_expiry": {"state": "invalid"}})])
}

test_unknown_kv_key_rotation if {
	fs := key_rotation.deny with input as tl.mk([_k({"time_before_expiry": {"state": "unknown"}})])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_kv_key_rotation if {
	count(key_rotation.deny) == 0 with input as tl.mk([_k({})])
}

test_allow_kv_key_rotation_after_creation if {
	count(key_rotation.deny) == 0 with input as tl.mk([_k({"time_before_expiry": _absent, "time_after_creation": _days(300)})])
}
