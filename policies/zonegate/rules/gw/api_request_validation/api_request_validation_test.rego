package zonegate.rules.gw.api_request_validation_test

import data.zonegate.rules.gw.api_request_validation
import data.zonegate.testlib as tl
import rego.v1

# Facts of the effective stage (lib/gate/effective/api-management.ts), not XML: the rule compares, it does not parse.
_sec(base_first, controls) := {"present": true, "base": base_first, "base_first": base_first, "controls": controls}

_parsed(base_first, controls) := {
	"state": "parsed",
	"reason": "",
	"inbound": _sec(base_first, controls),
	"backend": _sec(true, []),
	"outbound": _sec(true, []),
	"on_error": _sec(true, []),
}

_good := _parsed(true, ["validate-content", "request-card-check"])

_pol(f) := object.union(tl.res("azurerm_api_management_api_policy", "p", {"api_name": "accounts"}), {"effective": {"apim_policy": f}})

_api(policies, linked) := object.union(
	tl.res("azurerm_api_management_api", "accounts", {"name": "accounts"}),
	{"effective": {"apim_api": {"policies": policies, "product_linked": linked}}},
)

test_allow_api_request_validation if {
	count(api_request_validation.deny) == 0 with input as tl.mk([_api([1], true), _pol(_good)])
	count(api_request_validation.deny) == 0 with input as tl.mk([_api([1], true), _pol(_parsed(true, ["validate-jwt", "request-card-check", "validate-content"]))])
}

test_deny_api_without_policy if {
	fs := api_request_validation.deny with input as tl.mk([_api([], true)])
	count(fs) == 1
	some f in fs
	f.resource == 0
	contains(f.message, "no API policy")
}

test_deny_api_not_linked if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], false), _pol(_good)])
	count(fs) == 1
	some f in fs
	f.resource == 0
	contains(f.message, "not linked to a product")
}

test_deny_api_without_facts if {
	count(api_request_validation.deny) == 2 with input as tl.mk([tl.res("azurerm_api_management_api", "accounts", {"name": "accounts"})])
}

test_deny_policy_without_validate_content if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol(_parsed(true, ["request-card-check"]))])
	count(fs) == 1
	some f in fs
	f.resource == 1
	contains(f.message, "validate-content")
	not contains(f.message, "card numbers")
}

test_deny_policy_without_card_check if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol(_parsed(true, ["validate-content"]))])
	count(fs) == 1
	some f in fs
	f.resource == 1
	contains(f.message, "card numbers")
}

test_deny_policy_base_not_first if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol(_parsed(false, ["validate-content", "request-card-check"]))])
	count(fs) == 1
	some f in fs
	contains(f.message, "<base />")
}

test_deny_policy_lacking_everything_is_one_finding if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol(_parsed(false, []))])
	count(fs) == 1
	some f in fs
	contains(f.message, "<base />")
	contains(f.message, "validate-content")
	contains(f.message, "card numbers")
}

test_deny_orphan_policy if {
	# an API policy whose API is declared elsewhere is still judged on its own document
	count(api_request_validation.deny) == 1 with input as tl.mk([_pol(_parsed(true, ["validate-content"]))])
}

test_deny_invalid_policy if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol({"state": "invalid", "reason": "not well-formed XML"})])
	count(fs) == 1
	some f in fs
	not f.unknown
	contains(f.message, "not well-formed XML")
}

test_deny_policy_without_facts if {
	count(api_request_validation.deny) == 1 with input as tl.mk([_api([1], true), tl.res("azurerm_api_management_api_policy", "p", {})])
}

test_unknown_api_request_validation if {
	fs := api_request_validation.deny with input as tl.mk([_api([1], true), _pol({"state": "unknown", "reason": ""})])
	count(fs) == 1
	some f in fs
	f.unknown
	f.resource == 1
}

test_allow_deleted if {
	deleted := object.union(_pol(_parsed(false, [])), {"actions": ["delete"]})
	count(api_request_validation.deny) == 0 with input as tl.mk([_api([2], true), deleted, _pol(_good)])
}
