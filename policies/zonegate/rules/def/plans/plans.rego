# METADATA
# title: "Defender for Cloud plans cover every protected resource"
# description: "Anti-malware and threat detection (PCI DSS 5.2.1, 5.2.2, 5.3.1, 5.3.2) and intrusion detection (11.5.1) for the landing zone come from Microsoft Defender for Cloud: the subscription that holds a Key Vault, storage account, AKS cluster, API Management service or resource group must have the matching plan (KeyVaults, StorageAccounts, Containers, Api, Arm) at tier Standard. Plans are subscription singletons, so this is decided per subscription — tenant × environment, or platform environment × region for the shared clusters — over the whole estate."
# custom:
#   id: ZG-DEF-001
#   severity: high
#   frameworks: {"pci-dss-4.0": ["5.2.1", "5.2.2", "5.3.1", "5.3.2", "5.3.4", "11.5.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   scope: estate
#   remediation: "Add constructs/defender-for-cloud.ts once per subscription (the first region's security stack of each tenant × env; every platform stack): it enables every required plan at tier Standard."
#   construct: constructs/defender-for-cloud.ts
#   peers: {"checkov": ["CKV_AZURE_234", "CKV_AZURE_87"], "trivy": ["AVD-AZU-0044"]}
#   resource_types: ["azurerm_security_center_subscription_pricing", "azurerm_key_vault", "azurerm_storage_account", "azurerm_kubernetes_cluster", "azurerm_api_management", "azurerm_resource_group"]
#   mutations:
#     - {"type": "azurerm_security_center_subscription_pricing", "where": {"values.resource_type": "KeyVaults"}, "path": "resource_type", "set": "VirtualMachines"}
#     - {"type": "azurerm_security_center_subscription_pricing", "where": {"values.resource_type": "Containers"}, "path": "tier", "set": "Free"}
#     - {"type": "azurerm_security_center_subscription_pricing", "where": {"values.resource_type": "Arm"}, "path": "resource_type", "delete": true}
#     - {"type": "azurerm_security_center_subscription_pricing", "where": {"values.resource_type": "Api"}, "path": "tier", "unknown": true}
package zonegate.rules.def.plans

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# resource type → the Defender plan (resource_type of the pricing) that protects it
_plan_for := {
	"azurerm_key_vault": "KeyVaults",
	"azurerm_storage_account": "StorageAccounts",
	"azurerm_kubernetes_cluster": "Containers",
	"azurerm_api_management": "Api",
	"azurerm_resource_group": "Arm",
}

# "<owner>/<env>|<plan>" of every Standard plan, computed once
_enabled contains concat("|", [zg.owner_env(p), lower(p.values.resource_type)]) if {
	some [_, p] in zg.resources("azurerm_security_center_subscription_pricing")
	zg.managed(p)
	p.values.tier == "Standard"
	is_string(p.values.resource_type)
}

deny contains zg.finding(meta.id, i, msg) if {
	some t, plan in _plan_for
	some [i, r] in zg.resources(t)
	zg.managed(r)
	ks := _enabled
	not ks[concat("|", [zg.owner_env(r), lower(plan)])]
	msg := sprintf("No Defender for Cloud %s plan at tier Standard in this resource's subscription (%s)", [plan, zg.owner_env(r)])
}
