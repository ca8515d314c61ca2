package zonegate.rules.tag.required_tags_test

import data.zonegate.rules.tag.required_tags
import data.zonegate.testlib as tl
import rego.v1

_tags := {"tenant": "acme", "env": "prod", "residency": "eu", "compliance": "pci-dss-4.0", "managed-by": "zonegate"}

test_deny_required_tags if {
	fs := required_tags.deny with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"tags": {"tenant": "acme"}})])
	some f in fs
	f.message == "Missing tags: compliance, env, managed-by, residency"
}

test_deny_required_tags_absent if {
	count(required_tags.deny) == 1 with input as tl.mk([tl.res("azurerm_storage_account", "sa", {})])
}

test_allow_required_tags if {
	count(required_tags.deny) == 0 with input as tl.mk([tl.res("azurerm_key_vault", "kv", {"tags": _tags}), tl.res("azurerm_subnet", "s", {})])
}

test_allow_required_tags_unknown if {
	r := tl.unk(tl.res("azurerm_monitor_action_group", "g", {"tags": object.remove(_tags, ["tenant"])}), ["tags.tenant"])
	count(required_tags.deny) == 0 with input as tl.mk([r])
}
