# METADATA
# title: "Only approved services are deployed (dev, staging)"
# description: "The same catalogue check as ZG-CAT-001 for resources whose environment is known and not prod: still mandatory (an unreviewed type in dev is how it reaches prod), severity high."
# custom:
#   id: ZG-CAT-002
#   severity: high
#   frameworks: {"pci-dss-4.0": ["2.2.1", "6.5.1", "12.5.1"], "gdpr": ["25", "32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Use a catalogued type (policies/data/services.json), or review the new type and add an entry (with rules) in the same change."
#   construct: policies/data/services.json
#   peers: {"checkov": [], "trivy": []}
#   resource_types: ["*"]
#   mutations:
#     - {"type": "google_storage_bucket", "where": {"type": "azurerm_resource_group", "tenant.env": "dev"}, "add": {"name": "zg-mutation", "location": "EU"}}
#     - {"type": "kubectl_manifest", "where": {"type": "azurerm_resource_group", "tenant.env": "staging"}, "add": {"yaml_body": "kind: Namespace"}}
package zonegate.rules.cat.approved_service_nonprod

import data.zonegate.lib as zg
import data.zonegate.lib.catalogue as cat
import rego.v1

meta := zg.meta(rego.metadata.chain())

deny contains zg.finding(meta.id, i, msg) if {
	some [i, msg] in cat.unapproved
	not cat.env_prod(input.resources[i])
}
