/**
 * A small multi-tenant estate gated with the real policy bundle, written as reports (gate.json,
 * index.html, history.jsonl) for the posture-report tests: three tenants and the platform, three
 * environments, findings of every status, waivers active / expiring / expired, and a run history.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gateResources } from "../../lib/gate/gate";
import type { ResourceModel } from "../../lib/gate/model";
import { loadWaivers } from "../../lib/gate/waivers";
import { writeReports } from "../../lib/report";
import { appendHistory } from "../../lib/report/history";
import { REPO } from "../gate/helpers";

export const NOW = new Date("2030-06-01T12:00:00Z");

function res(
  stack: string,
  tenant: string | null,
  env: "dev" | "staging" | "prod",
  type: string,
  name: string,
  values: Record<string, unknown>,
): ResourceModel {
  return {
    key: `${stack}::${type}.${name}`,
    address: `${type}.${name}`,
    type,
    name,
    provider: "azurerm",
    mode: "managed",
    actions: ["create"],
    values: { location: "westeurope", ...values },
    unknown: [],
    refs: {},
    source: {
      kind: "synth",
      file: `cdktf.out/stacks/${stack}/cdk.tf.json`,
      constructPath: `${stack}/${name}`,
      line: 10,
    },
    stack,
    tenant: tenant ? { id: tenant, tier: "premium", residency: "eu", compliance: ["pci-dss-4.0", "gdpr"], env } : null,
    ...(tenant ? {} : { context: { env, platform: true, tenants: ["acme", "bolt"] } }),
  };
}

const tags = (tenant: string, env: string) => ({
  tags: { tenant, env, residency: "eu", compliance: "pci-dss-4.0", "managed-by": "zonegate" },
});

function kv(stack: string, tenant: string | null, env: "dev" | "staging" | "prod", name: string, purge: boolean) {
  return res(stack, tenant, env, "azurerm_key_vault", name, {
    purge_protection_enabled: purge,
    soft_delete_retention_days: 90,
    enable_rbac_authorization: true,
    public_network_access_enabled: false,
    network_acls: [{ default_action: "Deny", bypass: "AzureServices" }],
    ...tags(tenant ?? "platform", env),
  });
}

function sa(stack: string, tenant: string | null, env: "dev" | "staging" | "prod", name: string, tls: string) {
  return res(stack, tenant, env, "azurerm_storage_account", name, {
    min_tls_version: tls,
    https_traffic_only_enabled: true,
    allow_nested_items_to_be_public: false,
    shared_access_key_enabled: false,
    infrastructure_encryption_enabled: true,
    account_replication_type: "ZRS",
    network_rules: [{ default_action: "Deny" }],
    ...tags(tenant ?? "platform", env),
  });
}

export function fixtureResources(): ResourceModel[] {
  return [
    kv("acme-prod-security", "acme", "prod", "kv", false),
    sa("acme-prod-security", "acme", "prod", "sa", "TLS1_2"),
    kv("acme-dev-security", "acme", "dev", "kv", true),
    sa("acme-dev-security", "acme", "dev", "sa", "TLS1_0"),
    // no tags in dev: ZG-TAG-001 is advisory there
    res("acme-dev-security", "acme", "dev", "azurerm_resource_group", "rg", {}),
    res("acme-prod-network", "acme", "prod", "azurerm_virtual_network", "vnet", tags("acme", "prod")),
    kv("bolt-prod-security", "bolt", "prod", "kv", true),
    sa("bolt-prod-security", "bolt", "prod", "sa", "TLS1_1"),
    sa("bolt-prod-security", "bolt", "prod", "logs", "TLS1_2"),
    kv("cedar-staging-security", "cedar", "staging", "kv", false),
    kv("platform-prod-compute", null, "prod", "pkv", false),
    sa("platform-prod-compute", null, "prod", "psa", "TLS1_2"),
  ];
}

export const WAIVERS_YAML = `# fixture waivers
- rule: ZG-KV-001
  address: cedar-staging-security::azurerm_key_vault.kv
  tenant: cedar
  reason: vault is recreated with purge protection in the Q3 migration <SEC-42>
  approver: ciso@cedar.example
  expires: 2030-06-11
- rule: ZG-KV-001
  address: platform-prod-compute::azurerm_key_vault.pkv
  tenant: platform
  reason: shared vault, long-term exception
  approver: platform-lead@example.com
  expires: 2030-08-20
- rule: ZG-ST-001
  address: bolt-prod-security::azurerm_storage_account.sa
  tenant: bolt
  reason: legacy client needs TLS 1.1
  approver: risk@bolt.example
  expires: 2030-05-01
`;

/** Gate the fixture estate and write reports into `dir` (after `runs` earlier history entries). */
export async function writeFixtureReports(dir: string, runs = 5): Promise<{ files: string[]; gateJson: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const wfile = path.join(dir, "waivers.yaml");
  fs.writeFileSync(wfile, WAIVERS_YAML);
  const resources = fixtureResources();
  const stacks = [...new Set(resources.map((r) => r.stack))].map((name) => {
    const first = resources.find((r) => r.stack === name)!;
    return {
      name,
      kind: "synth" as const,
      file: first.source.file,
      tenant: first.tenant?.id ?? null,
      env: first.tenant?.env ?? first.context?.env,
      resources: resources.filter((r) => r.stack === name).length,
    };
  });
  // The stack files the resources "came from", so the evidence stamp has inputs to hash.
  for (const st of stacks) {
    fs.mkdirSync(path.join(dir, path.dirname(st.file)), { recursive: true });
    const mine = resources.filter((r) => r.stack === st.name);
    fs.writeFileSync(path.join(dir, st.file), JSON.stringify({ resource: mine.map((r) => r.address) }, null, 2));
  }
  const waivers = loadWaivers(wfile, {
    knownRules: new Set(["ZG-KV-001", "ZG-ST-001"]),
    required: true,
    today: NOW.toISOString().slice(0, 10),
  });
  const v = await gateResources(resources, false, { bundle: { root: REPO }, waivers, stacks, now: NOW });
  // Earlier runs for the trend chart.
  for (let i = 0; i < runs; i++) {
    appendHistory(path.join(dir, "history.jsonl"), {
      at: new Date(NOW.getTime() - (runs - i) * 86_400_000).toISOString(),
      commit: `c0ffee${i}`,
      pass: false,
      violations: 40 - i * 3,
      advisories: 2,
      waived: i % 3,
      expiredWaivers: 0,
      expiringWaivers: i > 2 ? 1 : 0,
      stacks: 6,
      resources: 10,
      inputsSha256: null,
    });
  }
  const files = writeReports(v, ["json", "sarif", "junit", "markdown"], dir, resources, {
    now: NOW,
    waiversFile: wfile,
    cwd: dir,
  });
  return { files, gateJson: path.join(dir, "gate.json") };
}
