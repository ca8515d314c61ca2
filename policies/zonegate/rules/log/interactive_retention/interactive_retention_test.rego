package zonegate.rules.log.interactive_retention

import data.zonegate.testlib as tl
import rego.v1

test_deny_la_interactive_retention if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": 30})])
}

test_deny_la_interactive_retention_default if {
	count(deny) == 1 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {})])
}

test_allow_la_interactive_retention if {
	count(deny) == 0 with input as tl.mk([tl.res("azurerm_log_analytics_workspace", "w", {"retention_in_days": "90"})])
}

test_unknown_la_interactive_retention if {
	some f in deny with input as tl.mk([tl.unk(tl.res("azurerm_log_analytics_workspace", "w", {}), ["retention_in_days"])])
	f.unknown
}
