package zonegate.rules.kv.key_expiration_test

import data.zonegate.rules.kv.key_expiration
import data.zonegate.testlib as tl
import rego.v1

_absent := {"state": "absent"}

_days(n) := {"state": "known", "days": n}

_k(v) := object.union(tl.res("azurerm_key_vault_key", "k", {}), {"effective": {"key": object.union(
	{"expiration": _days(365), "rotation_policy": true, "expire_after": _days(365), "time_before_expiry": _days(30), "time_after_creation": _absent},
	v,
)}})

test_deny_kv_key_no_expiration if {
	fs := key_expiration.deny with input as tl.mk([_k({"expiration": _absent})])
	count(fs) == 1
	some f in fs
	contains(f.message, "never expires")
}

test_deny_kv_key_expiration_ten_years if {
	fs := key_expiration.deny with input as tl.mk([_k({"expiration": _days(3652.5)})])
	count(fs) == 1
	some f in fs
	f.message == "Key Vault key expires 3653 days after plan time, beyond the 365-day maximum cryptoperiod"
}

test_deny_kv_key_expiration_invalid if {
	count(key_expiration.deny) == 1 with input as tl.mk([_k({"expiration": {"state": "invalid"}})])
}

test_unknown_kv_key_expiration if {
	fs := key_expiration.deny with input as tl.mk([_k({"expiration": {"state": "unknown"}})])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_deny_kv_key_rotation_without_expire_after if {
	count(key_expiration.deny) == 1 with input as tl.mk([_k({"expire_after": _absent})])
}

test_deny_kv_key_expire_after_five_years if {
	fs := key_expiration.deny with input as tl.mk([_k({"expire_after": _days(1825)})])
	count(fs) == 1
	some f in fs
	f.message == "Key Vault key rotation_policy.expire_after is 1825 days, beyond the 365-day maximum cryptoperiod"
}

test_deny_kv_key_expire_after_invalid if {
	count(key_expiration.deny) == 1 with input as tl.mk([_k({"expire_after": {"state": "invalid"}})])
}

test_unknown_kv_key_expire_after if {
	fs := key_expiration.deny with input as tl.mk([_k({"expire_after": {"state": "unknown"}})])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_kv_key_within_limits if {
	count(key_expiration.deny) == 0 with input as tl.mk([_k({})])
}

test_allow_kv_key_no_rotation_policy if {
	count(key_expiration.deny) == 0 with input as tl.mk([_k({"rotation_policy": false, "expire_after": _absent, "time_before_expiry": _absent})])
}
