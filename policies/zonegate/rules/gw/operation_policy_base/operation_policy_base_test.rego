package zonegate.rules.gw.operation_policy_base_test

import data.zonegate.rules.gw.operation_policy_base
import data.zonegate.testlib as tl
import rego.v1

# Facts of the effective stage (lib/gate/effective/api-management.ts), not XML: the rule compares, it does not parse.
_sec(base, base_first) := {"present": true, "base": base, "base_first": base_first, "controls": []}

_parsed(inbound, outbound) := {
	"state": "parsed",
	"reason": "",
	"inbound": inbound,
	"backend": _sec(true, true),
	"outbound": outbound,
	"on_error": _sec(true, true),
}

_p(f) := object.union(tl.res("azurerm_api_management_api_operation_policy", "o", {}), {"effective": {"apim_policy": f}})

test_allow_operation_policy_base if {
	count(operation_policy_base.deny) == 0 with input as tl.mk([_p(_parsed(_sec(true, true), _sec(true, true)))])

	# <base /> anywhere in outbound keeps the parent's masking
	count(operation_policy_base.deny) == 0 with input as tl.mk([_p(_parsed(_sec(true, true), _sec(true, false)))])
}

test_deny_inbound_base_missing if {
	fs := operation_policy_base.deny with input as tl.mk([_p(_parsed(_sec(false, false), _sec(true, true)))])
	count(fs) == 1
	some f in fs
	contains(f.message, "inbound")
}

test_deny_inbound_base_not_first if {
	count(operation_policy_base.deny) == 1 with input as tl.mk([_p(_parsed(_sec(true, false), _sec(true, true)))])
}

test_deny_outbound_base_missing if {
	fs := operation_policy_base.deny with input as tl.mk([_p(_parsed(_sec(true, true), _sec(false, false)))])
	count(fs) == 1
	some f in fs
	contains(f.message, "outbound")
	not contains(f.message, "inbound section")
}

test_deny_absent_sections if {
	absent := {"present": false, "base": false, "base_first": false, "controls": []}
	count(operation_policy_base.deny) == 1 with input as tl.mk([_p(_parsed(absent, absent))])
}

test_deny_invalid_or_unread if {
	fs := operation_policy_base.deny with input as tl.mk([_p({"state": "invalid", "reason": "the document element is not <policies>"})])
	count(fs) == 1
	some f in fs
	contains(f.message, "not <policies>")
	count(operation_policy_base.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management_api_operation_policy", "o", {})])
}

test_unknown_operation_policy_base if {
	fs := operation_policy_base.deny with input as tl.mk([_p({"state": "unknown", "reason": ""})])
	count(fs) == 1
	some f in fs
	f.unknown
}

test_allow_deleted if {
	count(operation_policy_base.deny) == 0 with input as tl.mk([object.union(_p(_parsed(_sec(false, false), _sec(false, false))), {"actions": ["delete"]})])
}
