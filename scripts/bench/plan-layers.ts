/**
 * The misconfigurations the bench plan injects, per landing-zone layer (the stacks of stacks/: foundation,
 * network, security, audit, compute, edge). The compliant resources themselves come from the real constructs
 * (scripts/bench/plan-templates.ts); a layer only says how each of its resource types is realistically broken:
 * a secure flag flipped, a block removed, a value unknown until apply, a location outside the residency zone,
 * a tag missing, or a dependent control (diagnostic setting, private endpoint, NSG association, WORM policy)
 * not created. Every break is one the rule library exists to catch (test/bench/plan-gen.test.ts checks that
 * each of them, injected alone into a clean unit, is found by the gate).
 */

type Json = Record<string, unknown>;

/** A generated resource, as the generator builds it (values in the plan shape: blocks are lists). */
export interface Res {
  readonly type: string;
  readonly name: string;
  readonly after: Json;
  /** Dotted paths (numeric segments = list indices) unknown until apply. */
  readonly unknown: string[];
  /** [dotted attribute path, module-relative target address] */
  readonly refs: [string, string][];
  readonly provider: string;
}

/** Resources of `type` that point at the broken resource through `via` are left out of the unit. */
export interface OmitDependents {
  readonly type: string;
  readonly via: string;
}

export type Break =
  | { readonly kind: string; readonly apply: (r: Res) => void }
  | { readonly kind: string; readonly omit: OmitDependents };

export interface Layer {
  /** The stack layer (`"//".zonegate.layer` of the synthesized stack). */
  readonly name: string;
  readonly breaks: Readonly<Record<string, readonly Break[]>>;
}

/** Set a dotted path (`a.0.b`) in obj, creating objects and lists (a numeric segment) on the way. */
export function setPath(obj: Json, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i];
    const nextIsIndex = /^\d+$/.test(parts[i + 1]);
    const c = cur as Record<string, unknown>;
    if (c[k] === undefined || c[k] === null || typeof c[k] !== "object") c[k] = nextIsIndex ? [] : {};
    cur = c[k];
  }
  (cur as Record<string, unknown>)[parts[parts.length - 1]] = value;
}

function deletePath(obj: Json, dotted: string): void {
  const parts = dotted.split(".");
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!cur || typeof cur !== "object") return;
    cur = (cur as Record<string, unknown>)[parts[i]];
  }
  if (cur && typeof cur === "object") delete (cur as Record<string, unknown>)[parts[parts.length - 1]];
}

const under = (p: string, path: string): boolean => p === path || p.startsWith(`${path}.`);

/** Set a value (known from now on). */
const set =
  (path: string, value: unknown) =>
  (r: Res): void => {
    setPath(r.after, path, value);
    for (let j = r.unknown.length - 1; j >= 0; j--) if (under(r.unknown[j], path)) r.unknown.splice(j, 1);
  };
/** Remove an attribute or block (and what was unknown or referenced under it). */
const del =
  (path: string) =>
  (r: Res): void => {
    deletePath(r.after, path);
    for (let j = r.unknown.length - 1; j >= 0; j--) if (under(r.unknown[j], path)) r.unknown.splice(j, 1);
    for (let j = r.refs.length - 1; j >= 0; j--) if (under(r.refs[j][0], path)) r.refs.splice(j, 1);
  };
/** Make a value unknown until apply. */
const unk =
  (path: string) =>
  (r: Res): void => {
    deletePath(r.after, path);
    r.unknown.push(path);
  };
const multi =
  (...fs: ((r: Res) => void)[]) =>
  (r: Res): void =>
    fs.forEach((f) => f(r));

const COMMON: Break[] = [
  { kind: "tag-missing", apply: del("tags.compliance") },
  { kind: "location-outside-zone", apply: set("location", "eastus") },
];
const NO_DIAG: Break = {
  kind: "no-diagnostic-setting",
  omit: { type: "azurerm_monitor_diagnostic_setting", via: "target_resource_id" },
};
const NO_PRIVATE_ENDPOINT: Break = {
  kind: "no-private-endpoint",
  omit: { type: "azurerm_private_endpoint", via: "private_service_connection.0.private_connection_resource_id" },
};

export const FOUNDATION: Layer = {
  name: "foundation",
  breaks: {
    azurerm_resource_group: [...COMMON],
    azurerm_log_analytics_workspace: [
      { kind: "la-retention-30d", apply: set("retention_in_days", 30) },
      { kind: "la-local-auth", apply: set("local_authentication_enabled", true) },
      NO_DIAG,
      ...COMMON,
    ],
    azurerm_log_analytics_workspace_table: [
      { kind: "la-total-retention-1y", apply: set("total_retention_in_days", 365) },
    ],
  },
};

export const NETWORK: Layer = {
  name: "network",
  breaks: {
    azurerm_virtual_network: [NO_DIAG, ...COMMON],
    azurerm_network_security_group: [NO_DIAG, ...COMMON],
    azurerm_network_security_rule: [
      {
        kind: "nsg-ssh-from-internet",
        apply: multi(set("source_address_prefix", "*"), set("destination_port_range", "22"), set("access", "Allow")),
      },
      {
        kind: "nsg-rdp-from-internet",
        apply: multi(
          set("source_address_prefix", "Internet"),
          set("destination_port_range", "3380-3390"),
          set("access", "Allow"),
        ),
      },
    ],
    azurerm_subnet: [
      {
        kind: "subnet-no-nsg",
        omit: { type: "azurerm_subnet_network_security_group_association", via: "subnet_id" },
      },
    ],
    azurerm_firewall_policy: [
      { kind: "fw-threat-intel-alert", apply: set("threat_intelligence_mode", "Alert") },
      { kind: "fw-idps-off", apply: set("intrusion_detection.0.mode", "Off") },
      ...COMMON,
    ],
  },
};

export const SECURITY: Layer = {
  name: "security",
  breaks: {
    azurerm_key_vault: [
      { kind: "kv-purge-protection-off", apply: set("purge_protection_enabled", false) },
      { kind: "kv-purge-protection-unknown", apply: unk("purge_protection_enabled") },
      { kind: "kv-soft-delete-7d", apply: set("soft_delete_retention_days", 7) },
      { kind: "kv-public-access", apply: set("public_network_access_enabled", true) },
      { kind: "kv-access-policies", apply: set("rbac_authorization_enabled", false) },
      { kind: "kv-acl-allow", apply: set("network_acls.0.default_action", "Allow") },
      NO_PRIVATE_ENDPOINT,
      NO_DIAG,
      ...COMMON,
    ],
    azurerm_key_vault_key: [
      { kind: "key-software-rsa", apply: set("key_type", "RSA") },
      { kind: "key-no-rotation", apply: del("rotation_policy") },
      { kind: "key-no-expiry", apply: del("rotation_policy.0.expire_after") },
    ],
    azurerm_disk_encryption_set: [...COMMON],
    azurerm_user_assigned_identity: [...COMMON],
    azurerm_private_endpoint: [...COMMON],
  },
};

export const AUDIT: Layer = {
  name: "audit",
  breaks: {
    azurerm_storage_account: [
      { kind: "st-tls10", apply: set("min_tls_version", "TLS1_0") },
      { kind: "st-http", apply: set("https_traffic_only_enabled", false) },
      { kind: "st-shared-key", apply: set("shared_access_key_enabled", true) },
      { kind: "st-public-blobs", apply: set("allow_nested_items_to_be_public", true) },
      { kind: "st-no-infra-encryption", apply: set("infrastructure_encryption_enabled", false) },
      {
        kind: "st-public-network",
        apply: multi(set("public_network_access_enabled", true), set("network_rules.0.default_action", "Allow")),
      },
      { kind: "st-no-cmk", apply: del("customer_managed_key") },
      { kind: "st-tls-unknown", apply: unk("min_tls_version") },
      NO_DIAG,
      ...COMMON,
    ],
    azurerm_storage_container: [
      { kind: "container-public", apply: set("container_access_type", "blob") },
      {
        kind: "container-no-worm",
        omit: { type: "azurerm_storage_container_immutability_policy", via: "storage_container_resource_manager_id" },
      },
    ],
    azurerm_storage_container_immutability_policy: [
      { kind: "worm-unlocked", apply: set("locked", false) },
      { kind: "worm-30d", apply: set("immutability_period_in_days", 30) },
    ],
    azurerm_network_watcher_flow_log: [
      { kind: "flowlog-disabled", apply: set("enabled", false) },
      { kind: "flowlog-7d", apply: set("retention_policy.0.days", 7) },
      ...COMMON,
    ],
  },
};

export const COMPUTE: Layer = {
  name: "compute",
  breaks: {
    azurerm_kubernetes_cluster: [
      { kind: "aks-public-api", apply: set("private_cluster_enabled", false) },
      { kind: "aks-private-unknown", apply: unk("private_cluster_enabled") },
      { kind: "aks-local-accounts", apply: set("local_account_disabled", false) },
      { kind: "aks-no-azure-policy", apply: set("azure_policy_enabled", false) },
      { kind: "aks-no-network-policy", apply: del("network_profile.0.network_policy") },
      { kind: "aks-no-host-encryption", apply: set("default_node_pool.0.host_encryption_enabled", false) },
      { kind: "aks-node-public-ip", apply: set("default_node_pool.0.node_public_ip_enabled", true) },
      { kind: "aks-no-cmk-disks", apply: del("disk_encryption_set_id") },
      { kind: "aks-no-oms", apply: del("oms_agent") },
      { kind: "aks-no-upgrade-channel", apply: del("automatic_upgrade_channel") },
      { kind: "aks-no-secret-rotation", apply: set("key_vault_secrets_provider.0.secret_rotation_enabled", false) },
      {
        kind: "aks-no-entra-rbac",
        apply: set("azure_active_directory_role_based_access_control.0.azure_rbac_enabled", false),
      },
      NO_DIAG,
      ...COMMON,
    ],
    azurerm_kubernetes_cluster_node_pool: [
      { kind: "pool-no-host-encryption", apply: set("host_encryption_enabled", false) },
      { kind: "pool-public-ip", apply: set("node_public_ip_enabled", true) },
      { kind: "tag-missing", apply: del("tags.compliance") },
    ],
    kubernetes_manifest: [
      { kind: "kyverno-audit-in-prod", apply: set("manifest.spec.rules.0.validate.failureAction", "Audit") },
    ],
  },
};

export const EDGE: Layer = {
  name: "edge",
  breaks: {
    azurerm_api_management: [
      { kind: "apim-external-vnet", apply: set("virtual_network_type", "External") },
      { kind: "apim-tls10", apply: set("security.0.frontend_tls10_enabled", true) },
      { kind: "apim-weak-cipher", apply: set("security.0.tls_rsa_with_aes128_cbc_sha_ciphers_enabled", true) },
      { kind: "apim-no-identity", apply: del("identity") },
      {
        kind: "apim-location-outside-zone",
        apply: set("additional_location", [
          { location: "eastus", capacity: 1, zones: [], public_ip_address_id: null, virtual_network_configuration: [] },
        ]),
      },
      NO_DIAG,
      ...COMMON,
    ],
    azurerm_web_application_firewall_policy: [
      { kind: "waf-detection", apply: set("policy_settings.0.mode", "Detection") },
      { kind: "waf-disabled", apply: set("policy_settings.0.enabled", false) },
      ...COMMON,
    ],
  },
};

/** The layers in stack order (a unit is built layer by layer in this order). */
export const LAYERS: readonly Layer[] = [FOUNDATION, NETWORK, SECURITY, AUDIT, COMPUTE, EDGE];
