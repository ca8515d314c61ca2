package zonegate.rules.log.interactive_retention_test

import data.zonegate.rules.log.interactive_retention
import data.zonegate.testlib as tl
import rego.v1

test_deny_la_interactive_retention if {
	count(interactive_retention.deny) == 1 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 30})])
}

test_deny_la_interactive_retention_default if {
	count(interactive_retention.deny) == 1 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {})])
}

test_allow_la_interactive_retention if {
	count(interactive_retention.deny) == 0 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": "90"})])
}

test_unknown_la_interactive_retention if {
	some f in interactive_retention.deny with input as tl.mk([tl.unk(tl.res("azurerm_log_analytics_workspace", "w", {}), ["retention_in_days"])])
	f.unknown
}
