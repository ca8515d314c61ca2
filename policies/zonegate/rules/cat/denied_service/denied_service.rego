# METADATA
# title: "Denied services are not used (ARM template deployments, arbitrary actions, plan-time programs)"
# description: "ARM template deployments create resources that no rule can see (the template is opaque to the gate), azapi_resource_action runs arbitrary ARM actions, and the external/http data sources run programs or send data during plan. The catalogue denies them; approving one is a reviewed catalogue change."
# custom:
#   id: ZG-CAT-004
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["1.2.1", "2.2.1", "6.5.1"], "gdpr": ["25", "32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Express the resources as azurerm resources the catalogue approves (so their rules apply) instead of an ARM template, action or external program."
#   construct: policies/data/services.json
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["azurerm_resource_group_template_deployment", "azurerm_subscription_template_deployment", "azurerm_management_group_template_deployment", "azurerm_tenant_template_deployment", "azurerm_template_deployment", "azapi_resource_action", "external", "http"]
#   mutations:
#     - {"type": "azurerm_resource_group_template_deployment", "where": {"type": "azurerm_resource_group"}, "add": {"name": "arm-mutation", "deployment_mode": "Incremental", "template_content": "{\"resources\": []}"}}
#     - {"type": "azurerm_subscription_template_deployment", "where": {"type": "azurerm_resource_group"}, "add": {"name": "arm-mutation", "location": "westeurope", "template_content": "{}"}}
package zonegate.rules.cat.denied_service

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, msg) if {
	some t, _ in input.by_type
	d := data.services_denied[t]
	some [i, r] in zg.resources(t)
	not r.actions == ["delete"]
	msg := sprintf("%s is denied by the approved-services catalogue: %s", [t, d.reason])
}
