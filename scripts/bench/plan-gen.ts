/**
 * Synthetic Terraform plan JSON (`terraform show -json`, format_version 1.2) for the gate benchmarks.
 *
 * The plan is a sequence of landing-zone "units" — one tenant × env × region slice of what zonegate creates
 * (resource groups, Log Analytics + tables, VNet/subnets/NSGs/rules/associations, private DNS, Key Vault +
 * CMK keys + private endpoints, disk encryption set, WORM archive storage, flow logs, AKS + node pools +
 * Kyverno (helm_release + kubernetes_manifest ClusterPolicies), API Management + policies, diagnostic
 * settings) — each in its own module call (`module.lz_0001`), with `resource_changes` (after/after_unknown),
 * `planned_values` and `configuration` references, as Terraform writes them. Ids of created resources are
 * unknown until apply (after_unknown), and cross-resource wiring is visible only through configuration
 * references, exactly like a real plan.
 *
 * A unit with no injected violation passes every rule of the library (test/bench/plan-gen.test.ts proves it
 * through the real gate). With `violationRate` p, each breakable resource is broken with probability p by one
 * of its type's realistic misconfigurations (a secure flag flipped, a block removed, a value unknown until
 * apply, a location outside the residency zone, a tag missing, its diagnostic setting / NSG association /
 * private endpoint / WORM policy not created…). Deterministic for a seed.
 */
import type { TenantContext } from "../../lib/gate/model";
import { Rng } from "./rng";
import { AUDIT_TABLES } from "../../lib/audit-tables";
import { apiPolicy } from "../../lib/gateway/policies";
import { serialize } from "../../lib/gateway/xml";

/** The API policy zonegate generates for an imported API (validate-content, request card-number check). */
const API_POLICY_XML = serialize(apiPolicy({ tenantId: "bench", apiName: "accounts", requestCardData: "block" }));

type Json = Record<string, unknown>;

/** The tenant context the generated plan is gated with (one plan = one tenant's change set). */
/** The audit tables every clean workspace covers (ZG-LOG-002); the construct uses the same list. */
export const BENCH_AUDIT_TABLES: readonly string[] = AUDIT_TABLES;

export const BENCH_TENANT: TenantContext = {
  id: "bench-bank",
  tier: "enterprise",
  residency: "eu",
  compliance: ["pci-dss-4.0", "sox"],
  env: "prod",
};

export interface PlanGenOptions {
  /** Exact number of resource_changes entries. */
  readonly resources: number;
  /** @default 1 */
  readonly seed?: number;
  /** Probability that a breakable resource gets one misconfiguration. @default 0.07 */
  readonly violationRate?: number;
  /** Also write `planned_values` (real plans do). @default true */
  readonly plannedValues?: boolean;
}

export interface PlanGenStats {
  readonly resources: number;
  readonly units: number;
  /** Resources that carry an injected violation (or whose dependent control was left out). */
  readonly violatingResources: number;
  readonly violationShare: number;
  readonly breaks: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
}

export interface GeneratedPlan {
  readonly plan: Json;
  readonly stats: PlanGenStats;
}

interface Res {
  readonly type: string;
  readonly name: string;
  readonly after: Json;
  /** Dotted paths (numeric segments = list indices) unknown until apply. */
  readonly unknown: string[];
  /** [dotted attribute path, module-relative target address] */
  readonly refs: [string, string][];
  readonly provider: string;
  readonly mode?: "managed" | "data";
}

const PROVIDERS: Record<string, string> = {
  azurerm: "registry.terraform.io/hashicorp/azurerm",
  helm: "registry.terraform.io/hashicorp/helm",
  kubernetes: "registry.terraform.io/hashicorp/kubernetes",
};

const KYVERNO_POLICIES = [
  "disallow-latest-tag",
  "require-resource-limits",
  "restricted-pod-security",
  "require-default-deny-networkpolicy",
  "allowed-registries",
  "require-labels",
];

/** Key expiry in generated plans: 180 days after today (UTC midnight), inside ZG-KV-007's 365-day maximum. */
const KEY_EXPIRY = new Date(Math.floor(Date.now() / 86_400_000 + 180) * 86_400_000).toISOString().replace(".000Z", "Z");

const APIM_POLICY_XML = `<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401" require-scheme="Bearer">
      <openid-config url="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration" />
      <audiences><audience>api://bench-bank-api</audience></audiences>
      <issuers><issuer>https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0</issuer></issuers>
    </validate-jwt>
    <rate-limit-by-key calls="12000" renewal-period="60" counter-key="@(context.Subscription?.Id ?? context.Request.IpAddress)" />
    <quota-by-key calls="10000000" renewal-period="86400" counter-key="@(context.Subscription?.Id)" />
  </inbound>
  <backend><base /></backend>
  <outbound>
    <base />
    <find-and-replace from="card" to="card" />
    <set-body>@(System.Text.RegularExpressions.Regex.Replace(context.Response.Body.As&lt;string&gt;(), @"\\b(?:\\d[ -]?){13,19}\\b", "****"))</set-body>
  </outbound>
  <on-error><base /></on-error>
</policies>`;

function setPath(obj: Json, dotted: string, value: unknown): void {
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

/** A nested `after_unknown` object from dotted paths. */
function unknownTree(paths: readonly string[]): Json {
  const out: Json = {};
  for (const p of paths) setPath(out, p, true);
  return out;
}

/** The `after_sensitive`-style shape Terraform writes for blocks: `{}` / `[]` mirrors of after. */
function sensitiveShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sensitiveShape);
  if (v && typeof v === "object") {
    const o: Json = {};
    for (const [k, x] of Object.entries(v as Json)) if (x && typeof x === "object") o[k] = sensitiveShape(x);
    return o;
  }
  return false;
}

function expressionsOf(r: Res): Json {
  const e: Json = {};
  if (typeof r.after.name === "string") e.name = { constant_value: r.after.name };
  if (typeof r.after.location === "string") e.location = { constant_value: r.after.location };
  for (const [p, target] of r.refs) setPath(e, p, { references: [`${target}.id`, target] });
  return e;
}

type Break = { kind: string; apply: (r: Res) => void } | { kind: string; omit: string };

const set =
  (path: string, value: unknown) =>
  (r: Res): void =>
    setPath(r.after, path, value);
const del =
  (path: string) =>
  (r: Res): void => {
    deletePath(r.after, path);
    const i = r.unknown.indexOf(path);
    if (i >= 0) r.unknown.splice(i, 1);
    for (let j = r.refs.length - 1; j >= 0; j--)
      if (r.refs[j][0] === path || r.refs[j][0].startsWith(`${path}.`)) r.refs.splice(j, 1);
  };
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
const NO_DIAG: Break = { kind: "no-diagnostic-setting", omit: "diag" };

/** Realistic misconfigurations per type (the ones the rule library exists to catch). */
const BREAKS: Record<string, Break[]> = {
  azurerm_key_vault: [
    { kind: "kv-purge-protection-off", apply: set("purge_protection_enabled", false) },
    { kind: "kv-purge-protection-unknown", apply: unk("purge_protection_enabled") },
    { kind: "kv-soft-delete-7d", apply: set("soft_delete_retention_days", 7) },
    { kind: "kv-public-access", apply: set("public_network_access_enabled", true) },
    { kind: "kv-access-policies", apply: set("enable_rbac_authorization", false) },
    { kind: "kv-acl-allow", apply: set("network_acls.0.default_action", "Allow") },
    { kind: "kv-no-private-endpoint", omit: "pe" },
    NO_DIAG,
    ...COMMON,
  ],
  azurerm_key_vault_key: [
    { kind: "key-software-rsa", apply: set("key_type", "RSA") },
    { kind: "key-no-rotation", apply: multi(del("rotation_policy")) },
    { kind: "key-no-expiry", apply: multi(del("rotation_policy.0.expire_after")) },
  ],
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
  azurerm_storage_container: [{ kind: "container-public", apply: set("container_access_type", "blob") }],
  azurerm_storage_container_immutability_policy: [
    { kind: "worm-unlocked", apply: set("locked", false) },
    { kind: "worm-30d", apply: set("immutability_period_in_days", 30) },
  ],
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
  azurerm_subnet: [{ kind: "subnet-no-nsg", omit: "assoc" }],
  azurerm_virtual_network: [NO_DIAG, ...COMMON],
  azurerm_log_analytics_workspace: [
    { kind: "la-retention-30d", apply: set("retention_in_days", 30) },
    { kind: "la-local-auth", apply: set("local_authentication_enabled", true) },
    NO_DIAG,
    ...COMMON,
  ],
  azurerm_log_analytics_workspace_table: [
    { kind: "la-total-retention-1y", apply: set("total_retention_in_days", 365) },
  ],
  azurerm_network_watcher_flow_log: [
    { kind: "flowlog-disabled", apply: set("enabled", false) },
    { kind: "flowlog-7d", apply: set("retention_policy.0.days", 7) },
    ...COMMON,
  ],
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
    { kind: "kyverno-audit-in-prod", apply: set("manifest.spec.validationFailureAction", "Audit") },
  ],
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
  azurerm_private_endpoint: [...COMMON],
  azurerm_disk_encryption_set: [...COMMON],
  azurerm_user_assigned_identity: [...COMMON],
  azurerm_resource_group: [...COMMON],
};

const REGIONS = ["westeurope", "northeurope"] as const;
const ENVS = ["prod", "dev"] as const;

class UnitBuilder {
  readonly out: Res[] = [];
  readonly breaks: Record<string, number> = {};
  violating = 0;
  private readonly tags: Json;
  private readonly rgName: string;

  constructor(
    readonly index: number,
    private readonly rng: Rng,
    private readonly rate: number,
  ) {
    const tenant = `t${String(Math.floor(index / 4)).padStart(3, "0")}`;
    this.env = ENVS[index % 2];
    this.region = REGIONS[Math.floor(index / 2) % 2];
    this.slug = `${tenant}-${this.env}-${this.region === "westeurope" ? "weu" : "neu"}`;
    this.flat = this.slug.replace(/-/g, "");
    this.tags = {
      tenant,
      env: this.env,
      residency: "eu",
      compliance: "pci-dss-4.0,sox",
      "managed-by": "zonegate",
      "cost-center": `cc-${1000 + (index % 97)}`,
    };
    this.rgName = `rg-${this.slug}`;
    this.sub = rng.uuid();
  }
  readonly env: string;
  readonly region: string;
  readonly slug: string;
  readonly flat: string;
  readonly sub: string;

  /** Decide whether this resource gets a break; returns the omit marker (if any) after applying it. */
  private decide(r: Res): string | undefined {
    const options = BREAKS[r.type];
    if (!options || !this.rng.chance(this.rate)) return undefined;
    const b = this.rng.pick(options);
    this.breaks[b.kind] = (this.breaks[b.kind] ?? 0) + 1;
    this.violating++;
    if ("omit" in b) return b.omit;
    b.apply(r);
    return undefined;
  }

  add(
    type: string,
    name: string,
    after: Json,
    opts: { unknown?: string[]; refs?: [string, string][]; tagged?: boolean } = {},
  ): { res: Res; omit?: string } {
    const res: Res = {
      type,
      name,
      after: opts.tagged ? { ...after, tags: { ...this.tags } } : after,
      unknown: ["id", ...(opts.unknown ?? [])],
      refs: opts.refs ?? [],
      provider: type.slice(0, type.indexOf("_")),
    };
    const omit = this.decide(res);
    this.out.push(res);
    return { res, omit };
  }

  private diag(target: string, targetName: string, categories: string[], omit: string | undefined): void {
    if (omit === "diag") return;
    this.add(
      "azurerm_monitor_diagnostic_setting",
      `diag_${targetName}`,
      {
        name: `diag-${targetName}`,
        eventhub_authorization_rule_id: null,
        eventhub_name: null,
        log_analytics_destination_type: "Dedicated",
        partner_solution_id: null,
        storage_account_id: null,
        enabled_log: categories.map((c) => ({ category: c, category_group: "", retention_policy: [] })),
        metric: [{ category: "AllMetrics", enabled: true, retention_policy: [] }],
        timeouts: null,
      },
      {
        unknown: ["target_resource_id", "log_analytics_workspace_id"],
        refs: [
          ["target_resource_id", target],
          ["log_analytics_workspace_id", "azurerm_log_analytics_workspace.law"],
        ],
      },
    );
  }

  build(): void {
    const loc = this.region;
    const rg = this.rgName;
    const s = this.slug;
    const f = this.flat;
    const common = { location: loc, resource_group_name: rg, timeouts: null };
    // foundation
    this.add(
      "azurerm_resource_group",
      "rg",
      { name: rg, location: loc, managed_by: null, timeouts: null },
      { tagged: true },
    );
    this.add(
      "azurerm_resource_group",
      "rg_network",
      { name: `${rg}-net`, location: loc, managed_by: null, timeouts: null },
      { tagged: true },
    );
    const law = this.add(
      "azurerm_log_analytics_workspace",
      "law",
      {
        ...common,
        name: `law-${s}`,
        sku: "PerGB2018",
        retention_in_days: 90,
        daily_quota_gb: -1,
        internet_ingestion_enabled: false,
        internet_query_enabled: false,
        local_authentication_enabled: false,
        cmk_for_query_forced: true,
        allow_resource_only_permissions: false,
        data_collection_rule_id: null,
        identity: [],
        reservation_capacity_in_gb_per_day: null,
      },
      { unknown: ["workspace_id", "primary_shared_key", "secondary_shared_key"], tagged: true },
    );
    // Every audit table the retention rule (ZG-LOG-002) requires when the workspace itself keeps less.
    for (const t of BENCH_AUDIT_TABLES) {
      this.add(
        "azurerm_log_analytics_workspace_table",
        `table_${t.toLowerCase()}`,
        { name: t, plan: "Analytics", retention_in_days: 90, total_retention_in_days: 2557, timeouts: null },
        { unknown: ["workspace_id"], refs: [["workspace_id", "azurerm_log_analytics_workspace.law"]] },
      );
    }
    this.diag("azurerm_log_analytics_workspace.law", "law", ["Audit", "SummaryLogs"], law.omit);
    this.add(
      "azurerm_management_lock",
      "rg_lock",
      { name: "do-not-delete", lock_level: "CanNotDelete", notes: "zonegate", timeouts: null },
      {
        unknown: ["scope"],
        refs: [["scope", "azurerm_resource_group.rg"]],
      },
    );
    // network
    const vnet = this.add(
      "azurerm_virtual_network",
      "vnet",
      {
        ...common,
        resource_group_name: `${rg}-net`,
        name: `vnet-${s}`,
        address_space: [`10.${this.index % 250}.0.0/16`],
        dns_servers: [],
        bgp_community: null,
        edge_zone: null,
        flow_timeout_in_minutes: null,
        ddos_protection_plan: [],
        encryption: [],
      },
      { unknown: ["guid", "subnet"], tagged: true },
    );
    this.diag("azurerm_virtual_network.vnet", "vnet", ["VMProtectionAlerts"], vnet.omit);
    const subnets = ["aks", "apim", "endpoints", "workload"];
    subnets.forEach((sn, i) => {
      const nsg = this.add(
        "azurerm_network_security_group",
        `nsg_${sn}`,
        { ...common, resource_group_name: `${rg}-net`, name: `nsg-${s}-${sn}`, security_rule: [] },
        { tagged: true },
      );
      this.diag(
        `azurerm_network_security_group.nsg_${sn}`,
        `nsg_${sn}`,
        ["NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"],
        nsg.omit,
      );
      const rule = (name: string, priority: number, access: string, src: string, port: string) =>
        this.add(
          "azurerm_network_security_rule",
          `nsg_${sn}_${name}`,
          {
            name,
            resource_group_name: `${rg}-net`,
            network_security_group_name: `nsg-${s}-${sn}`,
            priority,
            direction: "Inbound",
            access,
            protocol: "Tcp",
            source_port_range: "*",
            source_port_ranges: null,
            destination_port_range: port,
            destination_port_ranges: null,
            source_address_prefix: src,
            source_address_prefixes: null,
            destination_address_prefix: "VirtualNetwork",
            destination_address_prefixes: null,
            source_application_security_group_ids: null,
            destination_application_security_group_ids: null,
            description: "managed by zonegate",
            timeouts: null,
          },
          { refs: [["network_security_group_name", `azurerm_network_security_group.nsg_${sn}`]] },
        );
      rule("allow-https-vnet", 100, "Allow", "VirtualNetwork", "443");
      rule("deny-all-inbound", 4096, "Deny", "*", "*");
      const subnet = this.add(
        "azurerm_subnet",
        `snet_${sn}`,
        {
          name: `snet-${sn}`,
          resource_group_name: `${rg}-net`,
          virtual_network_name: `vnet-${s}`,
          address_prefixes: [`10.${this.index % 250}.${i * 16}.0/20`],
          default_outbound_access_enabled: false,
          private_endpoint_network_policies: "Enabled",
          private_link_service_network_policies_enabled: true,
          service_endpoint_policy_ids: null,
          service_endpoints: ["Microsoft.KeyVault", "Microsoft.Storage"],
          delegation: [],
          timeouts: null,
        },
        { refs: [["virtual_network_name", "azurerm_virtual_network.vnet"]] },
      );
      if (subnet.omit !== "assoc") {
        this.add(
          "azurerm_subnet_network_security_group_association",
          `snet_${sn}_nsg`,
          { timeouts: null },
          {
            unknown: ["subnet_id", "network_security_group_id"],
            refs: [
              ["subnet_id", `azurerm_subnet.snet_${sn}`],
              ["network_security_group_id", `azurerm_network_security_group.nsg_${sn}`],
            ],
          },
        );
      }
    });
    for (const z of ["privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net"]) {
      const n = z.split(".")[1];
      this.add(
        "azurerm_private_dns_zone",
        `dns_${n}`,
        { name: z, resource_group_name: `${rg}-net`, soa_record: [], timeouts: null },
        { unknown: ["number_of_record_sets"], tagged: true },
      );
      this.add(
        "azurerm_private_dns_zone_virtual_network_link",
        `dns_${n}_link`,
        {
          name: `link-${s}`,
          private_dns_zone_name: z,
          resource_group_name: `${rg}-net`,
          registration_enabled: false,
          resolution_policy: "Default",
          timeouts: null,
        },
        {
          unknown: ["virtual_network_id"],
          refs: [["virtual_network_id", "azurerm_virtual_network.vnet"]],
          tagged: true,
        },
      );
    }
    // security
    this.add(
      "azurerm_user_assigned_identity",
      "uai",
      { ...common, name: `id-${s}` },
      { unknown: ["client_id", "principal_id", "tenant_id"], tagged: true },
    );
    const kv = this.add(
      "azurerm_key_vault",
      "kv",
      {
        ...common,
        name: `kv${f}`.slice(0, 24),
        sku_name: "premium",
        tenant_id: "00000000-0000-0000-0000-000000000000",
        purge_protection_enabled: true,
        soft_delete_retention_days: 90,
        public_network_access_enabled: false,
        enable_rbac_authorization: true,
        enabled_for_deployment: false,
        enabled_for_disk_encryption: true,
        enabled_for_template_deployment: false,
        network_acls: [
          { bypass: "AzureServices", default_action: "Deny", ip_rules: [], virtual_network_subnet_ids: [] },
        ],
        contact: [],
      },
      { unknown: ["access_policy", "vault_uri"], tagged: true },
    );
    this.diag("azurerm_key_vault.kv", "kv", ["AuditEvent", "AzurePolicyEvaluationDetails"], kv.omit);
    for (const k of ["cmk_storage", "cmk_disks", "cmk_workspace"]) {
      this.add(
        "azurerm_key_vault_key",
        k,
        {
          name: k.replace(/_/g, "-"),
          key_type: "RSA-HSM",
          key_size: 3072,
          curve: null,
          // ZG-KV-007: the current key version needs a cryptoperiod of at most 365 days from plan time (a
          // date 180 days after the generation day: deterministic within a day).
          expiration_date: KEY_EXPIRY,
          not_before_date: null,
          key_opts: ["decrypt", "encrypt", "sign", "unwrapKey", "verify", "wrapKey"],
          rotation_policy: [
            {
              automatic: [{ time_after_creation: null, time_before_expiry: "P30D" }],
              expire_after: "P365D",
              notify_before_expiry: "P29D",
            },
          ],
          timeouts: null,
        },
        {
          unknown: ["key_vault_id", "version", "versionless_id", "n", "e", "public_key_pem", "resource_id"],
          refs: [["key_vault_id", "azurerm_key_vault.kv"]],
          tagged: true,
        },
      );
    }
    const pe = (name: string, target: string, group: string) =>
      this.add(
        "azurerm_private_endpoint",
        name,
        {
          ...common,
          name: `pe-${s}-${group}`,
          custom_network_interface_name: `nic-pe-${s}-${group}`,
          private_service_connection: [
            { name: `psc-${group}`, is_manual_connection: false, subresource_names: [group], request_message: null },
          ],
          private_dns_zone_group: [{ name: "default" }],
          ip_configuration: [],
        },
        {
          unknown: [
            "subnet_id",
            "private_service_connection.0.private_connection_resource_id",
            "private_dns_zone_group.0.private_dns_zone_ids",
            "network_interface",
            "custom_dns_configs",
          ],
          refs: [
            ["subnet_id", "azurerm_subnet.snet_endpoints"],
            ["private_service_connection.0.private_connection_resource_id", target],
          ],
          tagged: true,
        },
      );
    if (kv.omit !== "pe") pe("pe_kv", "azurerm_key_vault.kv", "vault");
    this.add(
      "azurerm_disk_encryption_set",
      "des",
      {
        ...common,
        name: `des-${s}`,
        encryption_type: "EncryptionAtRestWithPlatformAndCustomerKeys",
        auto_key_rotation_enabled: true,
        federated_client_id: null,
        identity: [{ type: "SystemAssigned", identity_ids: null }],
      },
      {
        unknown: ["key_vault_key_id", "identity.0.principal_id"],
        refs: [["key_vault_key_id", "azurerm_key_vault_key.cmk_disks"]],
        tagged: true,
      },
    );
    this.add(
      "azurerm_role_assignment",
      "des_kv_crypto",
      { role_definition_name: "Key Vault Crypto Service Encryption User", condition: null, description: null },
      {
        unknown: ["scope", "principal_id", "role_definition_id"],
        refs: [["scope", "azurerm_key_vault.kv"]],
      },
    );
    // audit
    const st = this.add(
      "azurerm_storage_account",
      "archive",
      {
        ...common,
        name: `st${f}`.slice(0, 24),
        account_kind: "StorageV2",
        account_tier: "Standard",
        account_replication_type: "GRS",
        access_tier: "Cool",
        min_tls_version: "TLS1_2",
        https_traffic_only_enabled: true,
        shared_access_key_enabled: false,
        allow_nested_items_to_be_public: false,
        infrastructure_encryption_enabled: true,
        public_network_access_enabled: false,
        cross_tenant_replication_enabled: false,
        default_to_oauth_authentication: true,
        network_rules: [
          {
            default_action: "Deny",
            bypass: ["AzureServices"],
            ip_rules: [],
            virtual_network_subnet_ids: [],
            private_link_access: [],
          },
        ],
        customer_managed_key: [{}],
        identity: [{ type: "UserAssigned" }],
        blob_properties: [
          {
            versioning_enabled: true,
            change_feed_enabled: true,
            delete_retention_policy: [{ days: 365 }],
            container_delete_retention_policy: [{ days: 365 }],
          },
        ],
        immutability_policy: [],
        sas_policy: [],
      },
      {
        unknown: [
          "customer_managed_key.0.key_vault_key_id",
          "customer_managed_key.0.user_assigned_identity_id",
          "identity.0.identity_ids",
          "primary_blob_endpoint",
          "primary_access_key",
        ],
        refs: [
          ["customer_managed_key.0.key_vault_key_id", "azurerm_key_vault_key.cmk_storage"],
          ["customer_managed_key.0.user_assigned_identity_id", "azurerm_user_assigned_identity.uai"],
        ],
        tagged: true,
      },
    );
    this.diag("azurerm_storage_account.archive", "archive", ["StorageRead", "StorageWrite", "StorageDelete"], st.omit);
    pe("pe_blob", "azurerm_storage_account.archive", "blob");
    for (const c of ["audit-archive", "insights-logs-auditevent"]) {
      const cn = c.replace(/-/g, "_");
      this.add(
        "azurerm_storage_container",
        cn,
        {
          name: c,
          container_access_type: "private",
          default_encryption_scope: null,
          encryption_scope_override_enabled: true,
          metadata: null,
          timeouts: null,
        },
        {
          unknown: ["storage_account_id", "resource_manager_id", "has_immutability_policy", "has_legal_hold"],
          refs: [["storage_account_id", "azurerm_storage_account.archive"]],
        },
      );
      if (this.rng.chance(this.rate / 2)) {
        this.breaks["container-no-worm"] = (this.breaks["container-no-worm"] ?? 0) + 1;
        this.violating++;
        continue;
      }
      this.add(
        "azurerm_storage_container_immutability_policy",
        `${cn}_worm`,
        {
          immutability_period_in_days: 2557,
          locked: true,
          protected_append_writes_all_enabled: false,
          protected_append_writes_enabled: true,
          timeouts: null,
        },
        {
          unknown: ["storage_container_resource_manager_id"],
          refs: [["storage_container_resource_manager_id", `azurerm_storage_container.${cn}`]],
        },
      );
    }
    this.add(
      "azurerm_log_analytics_data_export_rule",
      "export",
      {
        name: `export-${s}`,
        resource_group_name: rg,
        enabled: true,
        table_names: ["AzureDiagnostics", "AuditLogs"],
        timeouts: null,
      },
      {
        unknown: ["workspace_resource_id", "destination_resource_id", "export_rule_id"],
        refs: [
          ["workspace_resource_id", "azurerm_log_analytics_workspace.law"],
          ["destination_resource_id", "azurerm_storage_account.archive"],
        ],
      },
    );
    this.add("azurerm_network_watcher", "nw", { ...common, name: `nw-${s}` }, { tagged: true });
    this.add(
      "azurerm_network_watcher_flow_log",
      "flowlog",
      {
        ...common,
        name: `fl-${s}`,
        network_watcher_name: `nw-${s}`,
        enabled: true,
        version: 2,
        network_security_group_id: null,
        retention_policy: [{ enabled: true, days: 365 }],
        traffic_analytics: [{ enabled: true, interval_in_minutes: 10 }],
      },
      {
        unknown: [
          "target_resource_id",
          "storage_account_id",
          "traffic_analytics.0.workspace_id",
          "traffic_analytics.0.workspace_resource_id",
        ],
        refs: [
          ["target_resource_id", "azurerm_virtual_network.vnet"],
          ["storage_account_id", "azurerm_storage_account.archive"],
          ["network_watcher_name", "azurerm_network_watcher.nw"],
        ],
        tagged: true,
      },
    );
    // compute
    const aks = this.add(
      "azurerm_kubernetes_cluster",
      "aks",
      {
        ...common,
        name: `aks-${s}`,
        dns_prefix_private_cluster: `aks-${s}`,
        kubernetes_version: "1.31.3",
        sku_tier: "Standard",
        private_cluster_enabled: true,
        private_cluster_public_fqdn_enabled: false,
        local_account_disabled: true,
        role_based_access_control_enabled: true,
        azure_policy_enabled: true,
        oidc_issuer_enabled: true,
        workload_identity_enabled: true,
        image_cleaner_enabled: true,
        image_cleaner_interval_hours: 48,
        automatic_upgrade_channel: "patch",
        node_os_upgrade_channel: "NodeImage",
        run_command_enabled: false,
        azure_active_directory_role_based_access_control: [
          { azure_rbac_enabled: true, admin_group_object_ids: [this.rng.uuid()] },
        ],
        default_node_pool: [
          {
            name: "system",
            vm_size: "Standard_D4s_v5",
            node_count: null,
            auto_scaling_enabled: true,
            min_count: 3,
            max_count: 6,
            host_encryption_enabled: true,
            node_public_ip_enabled: false,
            only_critical_addons_enabled: true,
            os_disk_type: "Ephemeral",
            os_disk_size_gb: 128,
            zones: ["1", "2", "3"],
            upgrade_settings: [{ max_surge: "33%", drain_timeout_in_minutes: 0, node_soak_duration_in_minutes: 0 }],
          },
        ],
        network_profile: [
          {
            network_plugin: "azure",
            network_policy: "azure",
            network_plugin_mode: "overlay",
            load_balancer_sku: "standard",
            outbound_type: "userDefinedRouting",
          },
        ],
        key_vault_secrets_provider: [{ secret_rotation_enabled: true, secret_rotation_interval: "2m" }],
        oms_agent: [{ msi_auth_for_monitoring_enabled: true }],
        identity: [{ type: "UserAssigned" }],
        microsoft_defender: [],
        api_server_access_profile: [],
      },
      {
        unknown: [
          "disk_encryption_set_id",
          "oms_agent.0.log_analytics_workspace_id",
          "default_node_pool.0.vnet_subnet_id",
          "identity.0.identity_ids",
          "azure_active_directory_role_based_access_control.0.tenant_id",
          "kube_config",
          "kube_admin_config",
          "private_fqdn",
          "node_resource_group",
        ],
        refs: [
          ["disk_encryption_set_id", "azurerm_disk_encryption_set.des"],
          ["oms_agent.0.log_analytics_workspace_id", "azurerm_log_analytics_workspace.law"],
          ["default_node_pool.0.vnet_subnet_id", "azurerm_subnet.snet_aks"],
          ["identity.0.identity_ids", "azurerm_user_assigned_identity.uai"],
        ],
        tagged: true,
      },
    );
    this.diag("azurerm_kubernetes_cluster.aks", "aks", ["kube-audit-admin", "guard", "kube-apiserver"], aks.omit);
    for (const p of ["user1", "user2"]) {
      this.add(
        "azurerm_kubernetes_cluster_node_pool",
        p,
        {
          name: p,
          vm_size: "Standard_D8s_v5",
          mode: "User",
          auto_scaling_enabled: true,
          min_count: 1,
          max_count: 10,
          host_encryption_enabled: true,
          node_public_ip_enabled: false,
          os_disk_type: "Ephemeral",
          os_type: "Linux",
          zones: ["1", "2", "3"],
          node_labels: { "zonegate.io/pool": p },
          node_taints: [],
        },
        {
          unknown: ["kubernetes_cluster_id", "vnet_subnet_id"],
          refs: [["kubernetes_cluster_id", "azurerm_kubernetes_cluster.aks"]],
          tagged: true,
        },
      );
    }
    this.add(
      "helm_release",
      "kyverno",
      {
        name: "kyverno",
        repository: "https://kyverno.github.io/kyverno/",
        chart: "kyverno",
        version: "3.3.4",
        namespace: "kyverno",
        create_namespace: true,
        atomic: true,
        wait: true,
        timeout: 600,
        values: ["admissionController:\n  replicas: 3\nbackgroundController:\n  replicas: 2\n"],
        set: [],
      },
      { unknown: ["metadata", "manifest"] },
    );
    for (const pol of KYVERNO_POLICIES) {
      this.add(
        "kubernetes_manifest",
        `kyverno_${pol.replace(/-/g, "_")}`,
        {
          manifest: {
            apiVersion: "kyverno.io/v1",
            kind: "ClusterPolicy",
            metadata: { name: pol, annotations: { "policies.kyverno.io/category": "zonegate" } },
            spec: {
              validationFailureAction: "Enforce",
              background: true,
              rules: [
                {
                  name: pol,
                  match: { any: [{ resources: { kinds: ["Pod"] } }] },
                  validate: { message: `${pol} is required`, pattern: { spec: { containers: [{ name: "*" }] } } },
                },
              ],
            },
          },
          computed_fields: null,
          field_manager: [],
          wait: [],
        },
        { unknown: ["object"] },
      );
    }
    // edge
    const apim = this.add(
      "azurerm_api_management",
      "apim",
      {
        ...common,
        name: `apim-${s}`,
        publisher_name: "Bench Bank API Platform",
        publisher_email: "api@bench-bank.example",
        sku_name: "Premium_1",
        virtual_network_type: "Internal",
        min_api_version: "2021-08-01",
        client_certificate_enabled: true,
        gateway_disabled: false,
        public_network_access_enabled: true,
        identity: [{ type: "SystemAssigned", identity_ids: null }],
        security: [
          {
            backend_ssl30_enabled: false,
            backend_tls10_enabled: false,
            backend_tls11_enabled: false,
            frontend_ssl30_enabled: false,
            frontend_tls10_enabled: false,
            frontend_tls11_enabled: false,
            triple_des_ciphers_enabled: false,
            tls_ecdhe_ecdsa_with_aes128_cbc_sha_ciphers_enabled: false,
            tls_ecdhe_ecdsa_with_aes256_cbc_sha_ciphers_enabled: false,
            tls_ecdhe_rsa_with_aes128_cbc_sha_ciphers_enabled: false,
            tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled: false,
            tls_rsa_with_aes128_cbc_sha256_ciphers_enabled: false,
            tls_rsa_with_aes128_cbc_sha_ciphers_enabled: false,
            tls_rsa_with_aes128_gcm_sha256_ciphers_enabled: false,
            tls_rsa_with_aes256_cbc_sha256_ciphers_enabled: false,
            tls_rsa_with_aes256_cbc_sha_ciphers_enabled: false,
            tls_rsa_with_aes256_gcm_sha384_ciphers_enabled: false,
          },
        ],
        protocols: [{ http2_enabled: true }],
        sign_up: [{ enabled: false, terms_of_service: [{ enabled: false, consent_required: false, text: null }] }],
        tenant_access: [{ enabled: false }],
        additional_location: [],
        certificate: [],
        hostname_configuration: [],
      },
      {
        unknown: [
          "virtual_network_configuration.0.subnet_id",
          "gateway_url",
          "private_ip_addresses",
          "identity.0.principal_id",
        ],
        refs: [["virtual_network_configuration.0.subnet_id", "azurerm_subnet.snet_apim"]],
        tagged: true,
      },
    );
    this.diag("azurerm_api_management.apim", "apim", ["GatewayLogs", "WebSocketConnectionLogs"], apim.omit);
    this.add(
      "azurerm_api_management_policy",
      "apim_global",
      { xml_content: APIM_POLICY_XML, xml_link: null, timeouts: null },
      {
        unknown: ["api_management_id"],
        refs: [["api_management_id", "azurerm_api_management.apim"]],
      },
    );
    this.add(
      "azurerm_api_management_api",
      "accounts",
      {
        name: "accounts",
        api_management_name: `apim-${s}`,
        resource_group_name: rg,
        display_name: "Accounts",
        path: "accounts",
        protocols: ["https"],
        revision: "1",
        subscription_required: true,
      },
      { refs: [["api_management_name", "azurerm_api_management.apim"]] },
    );
    this.add(
      "azurerm_api_management_api_policy",
      "accounts",
      {
        api_name: "accounts",
        api_management_name: `apim-${s}`,
        resource_group_name: rg,
        xml_content: API_POLICY_XML,
        xml_link: null,
      },
      { refs: [["api_name", "azurerm_api_management_api.accounts"]] },
    );
    this.add(
      "azurerm_api_management_product_api",
      "accounts",
      { api_name: "accounts", api_management_name: `apim-${s}`, resource_group_name: rg, product_id: "bench" },
      { refs: [["api_name", "azurerm_api_management_api.accounts"]] },
    );
  }
}

/** Generate a plan of exactly `opts.resources` resource changes. */
export function generatePlan(opts: PlanGenOptions): GeneratedPlan {
  const rng = new Rng(opts.seed ?? 1);
  const rate = opts.violationRate ?? 0.07;
  const resourceChanges: Json[] = [];
  const childModules: Json[] = [];
  const moduleCalls: Json = {};
  const breaks: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let violating = 0;
  let units = 0;
  const emit = (moduleName: string, resources: Res[]): void => {
    const moduleAddress = `module.${moduleName}`;
    const planned: Json[] = [];
    const config: Json[] = [];
    for (const r of resources) {
      const address = `${moduleAddress}.${r.type}.${r.name}`;
      const mode = r.mode ?? "managed";
      byType[r.type] = (byType[r.type] ?? 0) + 1;
      resourceChanges.push({
        address,
        module_address: moduleAddress,
        mode,
        type: r.type,
        name: r.name,
        provider_name: PROVIDERS[r.provider],
        change: {
          actions: ["create"],
          before: null,
          after: r.after,
          after_unknown: unknownTree(r.unknown),
          before_sensitive: false,
          after_sensitive: sensitiveShape(r.after),
        },
      });
      if (opts.plannedValues !== false) {
        planned.push({
          address,
          mode,
          type: r.type,
          name: r.name,
          provider_name: PROVIDERS[r.provider],
          schema_version: 0,
          values: r.after,
          sensitive_values: sensitiveShape(r.after),
        });
      }
      config.push({
        address: `${r.type}.${r.name}`,
        mode,
        type: r.type,
        name: r.name,
        provider_config_key: r.provider,
        expressions: expressionsOf(r),
        schema_version: 0,
      });
    }
    if (opts.plannedValues !== false) childModules.push({ address: moduleAddress, resources: planned });
    moduleCalls[moduleName] = { source: "./modules/landing-zone", module: { resources: config } };
  };
  while (resourceChanges.length < opts.resources) {
    const u = new UnitBuilder(units, rng, rate);
    u.build();
    const room = opts.resources - resourceChanges.length;
    let list = u.out;
    if (list.length > room) {
      // The last unit is cut short: keep only self-contained resources so no control is left dangling.
      list = [];
      for (let i = 0; i < room; i++) {
        list.push({
          type: "azurerm_role_assignment",
          name: `reader_${i}`,
          after: {
            role_definition_name: "Reader",
            condition: null,
            description: null,
            skip_service_principal_aad_check: false,
          },
          unknown: ["id", "scope", "principal_id", "role_definition_id"],
          refs: [],
          provider: "azurerm",
        });
      }
    } else {
      for (const [k, n] of Object.entries(u.breaks)) breaks[k] = (breaks[k] ?? 0) + n;
      violating += u.violating;
    }
    emit(`lz_${String(units).padStart(4, "0")}`, list);
    units++;
  }
  const plan: Json = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    ...(opts.plannedValues !== false ? { planned_values: { root_module: { child_modules: childModules } } } : {}),
    resource_changes: resourceChanges,
    configuration: {
      provider_config: {
        azurerm: {
          name: "azurerm",
          full_name: PROVIDERS.azurerm,
          version_constraint: "4.14.0",
          expressions: { features: [{}] },
        },
        helm: { name: "helm", full_name: PROVIDERS.helm, version_constraint: "2.17.0" },
        kubernetes: { name: "kubernetes", full_name: PROVIDERS.kubernetes, version_constraint: "2.35.1" },
      },
      root_module: { module_calls: moduleCalls },
    },
    timestamp: "2025-01-01T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
  return {
    plan,
    stats: {
      resources: resourceChanges.length,
      units,
      violatingResources: violating,
      violationShare: resourceChanges.length ? violating / resourceChanges.length : 0,
      breaks,
      byType,
    },
  };
}
