package zonegate.rules.cat.approved_service_prod_test

import data.zonegate.rules.cat.approved_service_prod
import data.zonegate.testlib as tl
import rego.v1

test_deny_cat_unknown_type if {
	fs := approved_service_prod.deny with input as tl.mk([tl.res("aws_s3_bucket", "b", {"bucket": "x"}), tl.res("azurerm_key_vault", "kv", {})])
	count(fs) == 1
	some f in fs
	f.resource == 0
	f.rule == "ZG-CAT-001"
}

test_deny_cat_unknown_data_source if {
	ds := object.union(tl.res("azurerm_key_vault_secret", "s", {}), {"mode": "data"})
	count(approved_service_prod.deny) == 1 with input as tl.mk([ds])
}

test_deny_cat_managed_type_only_approved_as_data if {
	count(approved_service_prod.deny) == 1 with input as tl.mk([tl.res("terraform_remote_state", "s", {})])
}

test_deny_cat_azapi_unknown_arm_type if {
	count(approved_service_prod.deny) == 1 with input as tl.mk([tl.res("azapi_resource", "a", {"type": "Microsoft.Web/sites@2023-12-01"})])
}

test_deny_cat_azapi_not_approved_for_azapi if {
	fs := approved_service_prod.deny with input as tl.mk([tl.res("azapi_resource", "a", {"type": "Microsoft.Sql/servers@2023-08-01"})])
	some f in fs
	contains(f.message, "only azurerm_mssql_server is approved")
}

test_deny_cat_azapi_no_type if {
	count(approved_service_prod.deny) == 1 with input as tl.mk([tl.unk(tl.res("azapi_update_resource", "a", {}), ["type"])])
}

test_deny_cat_platform_without_env_is_prod if {
	r := tl.override(tl.res("google_storage_bucket", "b", {}), {"tenant": null})
	count(approved_service_prod.deny) == 1 with input as tl.mk([r])
}

test_allow_cat_approved if {
	ds := object.union(tl.res("azurerm_client_config", "c", {}), {"mode": "data"})
	rs := [
		tl.res("azurerm_key_vault", "kv", {}),
		tl.res("random_password", "p", {}),
		tl.res("azapi_resource", "id", {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31"}),
		ds,
		object.union(tl.res("terraform_remote_state", "st", {}), {"mode": "data"}),
	]
	count(approved_service_prod.deny) == 0 with input as tl.mk(rs)
}

test_allow_cat_denied_and_deleted_left_to_others if {
	rs := [
		tl.res("azurerm_resource_group_template_deployment", "t", {}),
		object.union(tl.res("aws_s3_bucket", "old", {}), {"actions": ["delete"]}),
	]
	count(approved_service_prod.deny) == 0 with input as tl.mk(rs)
}

test_allow_cat_nonprod_is_other_rule if {
	count(approved_service_prod.deny) == 0 with input as tl.mk([tl.tenant_with(tl.res("aws_s3_bucket", "b", {}), {"env": "dev"})])
}

test_deny_cat_forked_provider_source if {
	fork := object.union(tl.res("azurerm_key_vault", "kv", {}), {"provider_source": "registry.terraform.io/evil/azurerm"})
	fs := approved_service_prod.deny with input as tl.mk([fork])
	count(fs) == 1
	some f in fs
	contains(f.message, "comes from provider registry.terraform.io/evil/azurerm")
}

test_deny_cat_forked_azapi_source if {
	fork := object.union(
		tl.res("azapi_resource", "a", {"type": "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31"}),
		{"provider_source": "registry.terraform.io/hashicorp/azapi"},
	)
	count(approved_service_prod.deny) == 1 with input as tl.mk([fork])
}

test_allow_cat_approved_provider_sources if {
	kv := object.union(tl.res("azurerm_key_vault", "kv", {}), {"provider_source": "registry.terraform.io/hashicorp/azurerm"})
	td := object.union(tl.res("terraform_data", "t", {}), {"provider_source": "terraform.io/builtin/terraform"})
	count(approved_service_prod.deny) == 0 with input as tl.mk([kv, td])
}
