# METADATA
# title: "Only approved services are deployed (prod)"
# description: "A PASS must mean the gate understood the input: a resource type, data source or azapi ARM type that is not in the reviewed approved-services catalogue (policies/data/services.json) has no rules judging it, so it is a finding, never a pass. Critical where the environment is prod (or unknown); ZG-CAT-002 covers other environments."
# custom:
#   id: ZG-CAT-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.2.1", "2.2.1", "6.5.1", "12.5.1"], "gdpr": ["25", "32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use a catalogued type (policies/data/services.json), or review the new type — its data locations, cardholder data, zones and the rules that cover it — and add an entry (with rules) in the same change."
#   construct: policies/data/services.json
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["*"]
#   mutations:
#     - {"type": "aws_s3_bucket", "where": {"type": "azurerm_resource_group", "tenant.env": "prod"}, "add": {"bucket": "zg-mutation"}}
#     - {"type": "azapi_resource", "where": {"type": "azurerm_resource_group", "tenant.env": "prod"}, "add": {"type": "Microsoft.Sql/servers@2023-08-01", "name": "sql-mutation", "location": "westeurope", "body": {"properties": {"publicNetworkAccess": "Enabled"}}}}
#     - {"type": "azapi_resource", "where": {"type": "azurerm_resource_group", "tenant.env": "prod"}, "add": {"type": "Microsoft.Web/sites@2023-12-01", "name": "app-mutation", "location": "westeurope"}}
package zonegate.rules.cat.approved_service_prod

import data.zonegate.lib as zg
import data.zonegate.lib.catalogue as cat
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, msg) if {
	some [i, msg] in cat.unapproved
	cat.env_prod(input.resources[i])
}
