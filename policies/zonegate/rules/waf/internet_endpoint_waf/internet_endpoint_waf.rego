# METADATA
# title: "Every internet-facing HTTP endpoint is behind a WAF in Prevention mode"
# description: "Public-facing web applications are protected by an automated technical solution that detects and prevents web-based attacks (PCI DSS 6.4.1, 6.4.2; 1.3.1, 1.4.1 inbound traffic restricted). An Application Gateway with a public frontend must have a WAF policy (firewall_policy_id) that is enabled and in Prevention mode (or, legacy, an enabled waf_configuration in Prevention on a WAF_v2 SKU); a Front Door (Standard/Premium) profile must be covered by a security policy whose firewall policy is enabled and in Prevention mode, a classic Front Door's frontend endpoints must link a WAF policy; an API Management gateway that is not in Internal VNet mode is a public endpoint without a WAF."
# custom:
#   id: ZG-WAF-001
#   severity: critical
#   frameworks: {"pci-dss-4.0": ["6.4.1", "6.4.2", "1.3.1", "1.4.1"], "gdpr": ["32"], "sox": []}
#   enforcement: mandatory
#   remediation: "Publish APIs only through constructs/waf-gateway.ts (tenant gateway.internet): Application Gateway WAF v2 with a Prevention-mode OWASP CRS 3.2 policy in front of the internal API Management gateway."
#   construct: constructs/waf-gateway.ts
#   peers: {"checkov": ["CKV_AZURE_120", "CKV_AZURE_122", "CKV_AZURE_121"], "trivy": []}
#   resource_types: ["azurerm_application_gateway", "azurerm_web_application_firewall_policy", "azurerm_api_management", "azurerm_cdn_frontdoor_profile", "azurerm_cdn_frontdoor_security_policy", "azurerm_cdn_frontdoor_firewall_policy", "azurerm_frontdoor"]
#   mutations:
#     - {"type": "azurerm_application_gateway", "path": "firewall_policy_id", "delete": true}
#     - {"type": "azurerm_web_application_firewall_policy", "path": "policy_settings.mode", "set": "Detection"}
#     - {"type": "azurerm_web_application_firewall_policy", "path": "policy_settings.enabled", "set": false}
#     - {"type": "azurerm_api_management", "path": "virtual_network_type", "set": "External"}
#     - {"type": "azurerm_cdn_frontdoor_profile", "where": {"type": "azurerm_api_management"}, "add": {"name": "fd-public", "resource_group_name": "rg", "sku_name": "Premium_AzureFrontDoor"}}
package zonegate.rules.waf.internet_endpoint_waf

import data.zonegate.lib as zg
import rego.v1

meta := zg.meta(rego.metadata.chain())

# --- WAF policies that prevent (by key and lowercased id)

_prevents(p) if {
	s := zg.block(p.values, "policy_settings")
	object.get(s, "enabled", true) == true
	s.mode == "Prevention"
}

_fd_prevents(p) if {
	object.get(p.values, "enabled", true) == true
	p.values.mode == "Prevention"
}

_ids(p) := {p.key} | {lower(id) | id := p.values.id; is_string(id)}

_waf_ok contains k if {
	some [_, p] in zg.resources("azurerm_web_application_firewall_policy")
	_prevents(p)
	some k in _ids(p)
}

_fd_waf_ok contains k if {
	some [_, p] in zg.resources_of(["azurerm_cdn_frontdoor_firewall_policy", "azurerm_frontdoor_firewall_policy"])
	_fd_prevents(p)
	some k in _ids(p)
}

_fd_waf_ok contains k if {
	some [_, p] in zg.resources("azurerm_frontdoor_firewall_policy")
	_prevents(p)
	some k in _ids(p)
}

_targets(r, path) := zg.refs_to(r, path) | {lower(id) | id := zg.get(r.values, path); is_string(id)}

_points_to_ok(r, path, ok) if {
	some t in _targets(r, path)
	ok[t]
}

# --- Application Gateway

_public(g) if {
	some f in zg.blocks(g.values, "frontend_ip_configuration")
	_public_frontend(g, f)
}

_public_frontend(_, f) if {
	is_string(f.public_ip_address_id)
}

_public_frontend(g, _) if zg.present(g, "frontend_ip_configuration.public_ip_address_id")

_gateway_protected(g) if {
	ok := _waf_ok
	_points_to_ok(g, "firewall_policy_id", ok)
}

_gateway_protected(g) if {
	zg.attr(g, "sku.tier") == "WAF_v2"
	w := zg.block(g.values, "waf_configuration")
	w.enabled == true
	w.firewall_mode == "Prevention"
}

deny contains zg.finding(meta.id, i, "Application Gateway has a public frontend but no enabled WAF policy in Prevention mode") if {
	some [i, g] in zg.resources("azurerm_application_gateway")
	zg.managed(g)
	_public(g)
	not _gateway_protected(g)
}

# --- API Management outside Internal VNet mode is itself a public endpoint

deny contains zg.finding(meta.id, i, "API Management is internet-facing (not Internal VNet mode) without a WAF in front") if {
	some [i, r] in zg.resources("azurerm_api_management")
	zg.managed(r)
	not zg.unknown(r, "virtual_network_type")
	zg.value(r, "virtual_network_type", "None") != "Internal"
}

# --- Front Door (Standard/Premium): a security policy with a preventing WAF covers the profile

_fd_covered contains k if {
	some [_, sp] in zg.resources("azurerm_cdn_frontdoor_security_policy")
	zg.managed(sp)
	ok := _fd_waf_ok
	_points_to_ok(sp, "security_policies.firewall.cdn_frontdoor_firewall_policy_id", ok)
	some k in _targets(sp, "cdn_frontdoor_profile_id")
}

deny contains zg.finding(meta.id, i, "Front Door profile has no security policy with an enabled WAF in Prevention mode") if {
	some [i, r] in zg.resources("azurerm_cdn_frontdoor_profile")
	zg.managed(r)
	ks := _fd_covered
	count({k | some k in _ids(r); ks[k]}) == 0
}

# --- classic Front Door: every frontend endpoint links a preventing WAF policy

deny contains zg.finding(meta.id, i, "Classic Front Door frontend endpoint has no WAF policy in Prevention mode") if {
	some [i, r] in zg.resources("azurerm_frontdoor")
	zg.managed(r)
	some e in zg.blocks(r.values, "frontend_endpoint")
	not _endpoint_ok(r, e)
}

_endpoint_ok(_, e) if {
	ok := _fd_waf_ok
	ok[lower(e.web_application_firewall_policy_link_id)]
}

_endpoint_ok(r, _) if {
	ok := _fd_waf_ok
	_points_to_ok(r, "frontend_endpoint.web_application_firewall_policy_link_id", ok)
}
