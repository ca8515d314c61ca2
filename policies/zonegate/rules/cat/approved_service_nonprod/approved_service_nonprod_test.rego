package zonegate.rules.cat.approved_service_nonprod_test

import data.zonegate.rules.cat.approved_service_nonprod
import data.zonegate.testlib as tl
import rego.v1

test_deny_cat_nonprod_unknown_type if {
	fs := approved_service_nonprod.deny with input as tl.mk([tl.tenant_with(tl.res("aws_s3_bucket", "b", {}), {"env": "dev"})])
	count(fs) == 1
	some f in fs
	f.rule == "ZG-CAT-002"
}

test_deny_cat_platform_dev_stack if {
	r := tl.override(tl.res("kubectl_manifest", "m", {}), {"tenant": null, "context": {"env": "staging", "platform": true}})
	count(approved_service_nonprod.deny) == 1 with input as tl.mk([r])
}

test_allow_cat_nonprod_prod_is_other_rule if {
	count(approved_service_nonprod.deny) == 0 with input as tl.mk([tl.res("aws_s3_bucket", "b", {})])
}

test_allow_cat_nonprod_approved if {
	count(approved_service_nonprod.deny) == 0 with input as tl.mk([tl.tenant_with(tl.res("azurerm_subnet", "s", {}), {"env": "dev"})])
}
