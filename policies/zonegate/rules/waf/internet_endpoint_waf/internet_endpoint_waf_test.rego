package zonegate.rules.waf.internet_endpoint_waf_test

import data.zonegate.rules.waf.internet_endpoint_waf
import data.zonegate.testlib as tl
import rego.v1

_waf(mode) := tl.res("azurerm_web_application_firewall_policy", "waf", {"policy_settings": {"enabled": true, "mode": mode}})

_pip := tl.res("azurerm_public_ip", "pip", {})

_agw(extra) := tl.ref(tl.res("azurerm_application_gateway", "agw", object.union({"frontend_ip_configuration": [{"name": "public", "public_ip_address_id": null}]}, extra)), "frontend_ip_configuration.0.public_ip_address_id", _pip)

test_deny_internet_endpoint_waf_agw_without_policy if {
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([_pip, _agw({})])
}

test_deny_internet_endpoint_waf_agw_detection if {
	w := _waf("Detection")
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([_pip, w, tl.ref(_agw({}), "firewall_policy_id", w)])
}

test_allow_internet_endpoint_waf_agw if {
	w := _waf("Prevention")
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([_pip, w, tl.ref(_agw({}), "firewall_policy_id", w)])
}

test_allow_internet_endpoint_waf_agw_by_id_and_legacy if {
	w := object.union(_waf("Prevention"), {"values": {"id": "/WAF"}})
	g := tl.res("azurerm_application_gateway", "g", {"frontend_ip_configuration": [{"public_ip_address_id": "/pip"}], "firewall_policy_id": "/waf"})
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([w, g])
	legacy := tl.res("azurerm_application_gateway", "l", {"frontend_ip_configuration": [{"public_ip_address_id": "/pip"}], "sku": [{"tier": "WAF_v2"}], "waf_configuration": [{"enabled": true, "firewall_mode": "Prevention"}]})
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([legacy])
}

test_allow_internet_endpoint_waf_private_agw if {
	g := tl.res("azurerm_application_gateway", "g", {"frontend_ip_configuration": [{"private_ip_address": "10.0.0.4"}]})
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([g])
}

test_deny_internet_endpoint_waf_apim_external if {
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {"virtual_network_type": "External"})])
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([tl.res("azurerm_api_management", "a", {})])
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([tl.res("azurerm_api_management", "a", {"virtual_network_type": "Internal"})])
}

_fd := tl.res("azurerm_cdn_frontdoor_profile", "fd", {})

_fdwaf(mode) := tl.res("azurerm_cdn_frontdoor_firewall_policy", "fw", {"enabled": true, "mode": mode})

_sp(fw) := tl.ref(tl.ref(tl.res("azurerm_cdn_frontdoor_security_policy", "sp", {}), "cdn_frontdoor_profile_id", _fd), "security_policies.firewall.cdn_frontdoor_firewall_policy_id", fw)

test_deny_internet_endpoint_waf_frontdoor if {
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([_fd])
	fw := _fdwaf("Detection")
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([_fd, fw, _sp(fw)])
}

test_allow_internet_endpoint_waf_frontdoor if {
	fw := _fdwaf("Prevention")
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([_fd, fw, _sp(fw)])
}

test_deny_internet_endpoint_waf_classic_frontdoor if {
	fd := tl.res("azurerm_frontdoor", "c", {"frontend_endpoint": [{"name": "e", "web_application_firewall_policy_link_id": "/other"}]})
	count(internet_endpoint_waf.deny) == 1 with input as tl.mk([fd])
}

test_allow_internet_endpoint_waf_classic_frontdoor if {
	p := tl.res("azurerm_frontdoor_firewall_policy", "p", {"id": "/P", "enabled": true, "mode": "Prevention"})
	fd := tl.res("azurerm_frontdoor", "c", {"frontend_endpoint": [{"name": "e", "web_application_firewall_policy_link_id": "/p"}]})
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([p, fd])
	p2 := tl.res("azurerm_frontdoor_firewall_policy", "p2", {"policy_settings": {"enabled": true, "mode": "Prevention"}})
	fd2 := tl.ref(tl.res("azurerm_frontdoor", "c", {"frontend_endpoint": [{"name": "e"}]}), "frontend_endpoint.0.web_application_firewall_policy_link_id", p2)
	count(internet_endpoint_waf.deny) == 0 with input as tl.mk([p2, fd2])
}
