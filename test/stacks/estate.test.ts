// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { buildEstate, synthEstate, CORE_LAYERS, registeredLayers, type SynthResult } from "../../stacks/app";
import { backendFromEnv, backendKey, stackName } from "../../stacks/base-stack";
import { FoundationStack } from "../../stacks/foundation-stack";
import { testTenant, testTenants } from "../helpers/tenants";

Testing.setupJest();

const LAYER_ORDER = ["foundation", "network", "security", "audit"];

describe("stack names and backend keys", () => {
  const t = testTenant();
  it("follow docs/architecture.md", () => {
    const ctx = { tenant: t, env: "prod" as const, region: "westeurope", layer: "security" as const };
    expect(stackName(ctx)).toBe("northwind-bank-prod-westeurope-security");
    expect(backendKey(ctx)).toBe("tenants/northwind-bank/prod/westeurope/security.tfstate");
    expect(stackName({ ...ctx, tenant: null, layer: "compute" })).toBe("platform-prod-westeurope-compute");
    expect(backendKey({ ...ctx, tenant: null, layer: "compute" })).toBe("platform/prod/westeurope/compute.tfstate");
  });
  it("choose the azurerm backend from the environment", () => {
    expect(backendFromEnv({})).toBe("local");
    expect(backendFromEnv({ ZG_BACKEND: "azurerm" })).toBe("azurerm");
    expect(backendFromEnv({ ARM_BACKEND_STORAGE_ACCOUNT: "st" })).toBe("azurerm");
  });
});

describe("one tenant × env × region synthesized", () => {
  let outdir: string;
  let result: SynthResult;
  const read = (stack: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-estate-"));
    const events: string[] = [];
    result = synthEstate([testTenant()], outdir, (p) => events.push(p.phase), {
      backend: "local",
      layers: CORE_LAYERS,
    });
    expect(events).toContain("count");
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it("creates the four layer stacks in dependency order", () => {
    expect(result.entries.map((e) => e.layer)).toEqual(LAYER_ORDER);
    expect(result.entries.map((e) => e.stackName)).toEqual(
      LAYER_ORDER.map((l) => `northwind-bank-prod-westeurope-${l}`),
    );
    for (const e of result.entries) expect(result.resourcesPerStack[e.stackName]).toBeGreaterThan(0);
    expect(result.totalResources).toBe(Object.values(result.resourcesPerStack).reduce((a, b) => a + b, 0));
  });

  it("writes the zonegate context and a local backend per stack", () => {
    for (const layer of LAYER_ORDER) {
      const name = `northwind-bank-prod-westeurope-${layer}`;
      const json = read(name);
      const key = `tenants/northwind-bank/prod/westeurope/${layer}.tfstate`;
      expect(json["//"].zonegate).toEqual({
        stack: name,
        layer,
        env: "prod",
        region: "westeurope",
        backendKey: key,
        tenant: {
          id: "northwind-bank",
          tier: "premium",
          residency: "eu",
          compliance: ["pci-dss-4.0", "gdpr"],
          env: "prod",
        },
      });
      expect(json.terraform.backend.local.path).toBe(`../../state/${key}`);
      expect(json.provider.azurerm[0]).toMatchObject({
        resource_provider_registrations: "none",
        storage_use_azuread: true,
      });
    }
  });

  it("declares explicit dependencies between layers", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const deps = (l: string) => [...manifest.stacks[`northwind-bank-prod-westeurope-${l}`].dependencies].sort();
    const n = (l: string) => `northwind-bank-prod-westeurope-${l}`;
    expect(deps("foundation")).toEqual([]);
    expect(deps("network")).toEqual([n("foundation")]);
    expect(deps("security")).toEqual([n("foundation"), n("network")].sort());
    expect(deps("audit")).toEqual([n("foundation"), n("network"), n("security")].sort());
  });

  it("references earlier layers through remote state (workspace id, subnet ids, key ids)", () => {
    const security = read("northwind-bank-prod-westeurope-security");
    expect(Object.keys(security.data.terraform_remote_state).length).toBeGreaterThan(0);
    const kv = Object.values(security.resource.azurerm_key_vault)[0] as Record<string, unknown>;
    expect(String(kv.resource_group_name)).toMatch(/terraform_remote_state/);
    const audit = read("northwind-bank-prod-westeurope-audit");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw synthesized JSON
    const sa = Object.values(audit.resource.azurerm_storage_account)[0] as Record<string, any>;
    expect(String(sa.customer_managed_key.key_vault_key_id)).toMatch(/terraform_remote_state/);
    const foundation = read("northwind-bank-prod-westeurope-foundation");
    expect(Object.keys(foundation.output ?? {}).length).toBeGreaterThan(0);
    expect(audit.resource.azurerm_network_watcher_flow_log).toBeDefined();
    expect(audit.resource.azurerm_log_analytics_data_export_rule).toBeDefined();
  });
});

describe("estate shape", () => {
  it("builds Σ envs × regions × 4 stacks for the test tenants", () => {
    const tenants = testTenants();
    const app = Testing.app();
    const entries = buildEstate(app, tenants, { backend: "local", layers: CORE_LAYERS });
    const expected = tenants.reduce((n, t) => n + t.environments.length * t.regions.length * 4, 0);
    expect(entries).toHaveLength(expected);
    expect(new Set(entries.map((e) => e.stackName)).size).toBe(expected);
    expect(registeredLayers().slice(0, 4)).toEqual(CORE_LAYERS);
  });

  it("a single stack can be synthesized and inspected alone", () => {
    const app = Testing.app();
    const stack = new FoundationStack(
      app,
      { tenant: testTenant(), env: "prod", region: "westeurope" },
      { backend: "local" },
    );
    const out = Testing.synth(stack);
    expect(out).toHaveProviderWithProperties(AzurermProvider, { storage_use_azuread: true });
    expect(out).not.toHaveResource(KeyVault);
  });

  it("uses the azurerm backend with Entra ID auth when configured, and fails closed without settings", () => {
    const env = {
      ARM_BACKEND_STORAGE_ACCOUNT: "sttfstate",
      ARM_BACKEND_CONTAINER: "tfstate",
      ARM_BACKEND_RESOURCE_GROUP: "rg-tf",
    };
    const app = Testing.app();
    const stack = new FoundationStack(app, { tenant: testTenant(), env: "prod", region: "westeurope" }, { env });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend.azurerm).toEqual({
      storage_account_name: "sttfstate",
      container_name: "tfstate",
      resource_group_name: "rg-tf",
      key: "tenants/northwind-bank/prod/westeurope/foundation.tfstate",
      use_azuread_auth: true,
    });
    expect(
      () =>
        new FoundationStack(
          Testing.app(),
          { tenant: testTenant(), env: "prod", region: "westeurope" },
          { env: { ZG_BACKEND: "azurerm" } },
        ),
    ).toThrow(/ARM_BACKEND_STORAGE_ACCOUNT/);
  });

  it("rejects a stack for an env or region the tenant does not have", () => {
    expect(
      () => new FoundationStack(Testing.app(), { tenant: testTenant(), env: "dev", region: "westeurope" }),
    ).toThrow(/not an environment/);
  });
});

describe("example tenants (tenants/*.yaml)", () => {
  // Loaded lazily so this suite still runs the rest when the loader is mid-change.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadTenants } = require("../../lib/tenant/load") as typeof import("../../lib/tenant/load");
  const dir = path.join(__dirname, "..", "..", "tenants");

  it("load cleanly and build Σ envs × regions × 4 core stacks", () => {
    const { tenants, problems } = loadTenants(dir);
    expect(problems).toEqual([]);
    expect(tenants.length).toBeGreaterThan(0);
    const entries = buildEstate(Testing.app(), tenants, { backend: "local", layers: CORE_LAYERS });
    const expected = tenants.reduce((n, t) => n + t.environments.length * t.regions.length * 4, 0);
    expect(entries).toHaveLength(expected);
    for (const t of tenants) {
      for (const env of t.environments) {
        for (const r of t.regions) {
          for (const layer of LAYER_ORDER) {
            expect(entries.map((e) => e.stackName)).toContain(`${t.id}-${env}-${r.name}-${layer}`);
          }
        }
      }
    }
  });

  it("the first example tenant's first env × region synthesizes", () => {
    const { tenants } = loadTenants(dir);
    const t = tenants[0];
    const one = { ...t, environments: [t.environments[0]], regions: [t.regions[0]] };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-example-"));
    try {
      const r = synthEstate([one], outdir, undefined, { backend: "local", layers: CORE_LAYERS });
      expect(r.stacks).toBe(4);
      expect(r.totalResources).toBeGreaterThan(50);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("subscription-scope controls (Defender, Activity Log export and alerts)", () => {
  it("are built once per tenant × env (first region), alerts on every region's workspace", () => {
    const tenant = testTenant({
      regions: [
        { name: "westeurope", addressSpace: "10.20.0.0/16" },
        { name: "northeurope", addressSpace: "10.21.0.0/16" },
      ],
      environments: ["dev", "prod"],
    });
    const app = Testing.app();
    const entries = buildEstate(app, [tenant], { backend: "local", layers: CORE_LAYERS });
    const count = (type: string) => {
      const per: Record<string, number> = {};
      for (const e of entries) {
        const stack = app.node.findChild(e.stackName) as unknown as Parameters<typeof Testing.synth>[0];
        const tf = JSON.parse(Testing.synth(stack));
        const n = Object.keys(tf.resource?.[type] ?? {}).length;
        if (n) per[e.stackName] = n;
      }
      return per;
    };
    expect(count("azurerm_security_center_contact")).toEqual({
      "northwind-bank-dev-westeurope-security": 1,
      "northwind-bank-prod-westeurope-security": 1,
    });
    expect(Object.keys(count("azurerm_monitor_activity_log_alert"))).toEqual([
      "northwind-bank-dev-westeurope-audit",
      "northwind-bank-prod-westeurope-audit",
    ]);
    expect(Object.keys(count("azurerm_monitor_scheduled_query_rules_alert_v2"))).toHaveLength(4);
  });
});

describe("egress and platform subscription controls across the registered layers", () => {
  const synthOf = (app: ReturnType<typeof Testing.app>, name: string) =>
    JSON.parse(Testing.synth(app.node.findChild(name) as unknown as Parameters<typeof Testing.synth>[0])) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };

  it("prod clusters egress through the network layer's firewall, dev clusters through their load balancer", () => {
    const tenant = testTenant({ tier: "premium", environments: ["dev", "prod"] });
    const app = Testing.app();
    buildEstate(app, [tenant], { backend: "local" });
    const outbound = (env: string) => {
      const aks = Object.values(
        synthOf(app, `northwind-bank-${env}-westeurope-compute`).resource!.azurerm_kubernetes_cluster,
      )[0];
      return (aks.network_profile as Record<string, unknown>).outbound_type;
    };
    expect(outbound("prod")).toBe("userDefinedRouting");
    expect(outbound("dev")).toBe("loadBalancer");
    const prodNet = synthOf(app, "northwind-bank-prod-westeurope-network").resource!;
    expect(Object.keys(prodNet.azurerm_firewall)).toHaveLength(1);
    expect(Object.keys(prodNet.azurerm_subnet_route_table_association)).toHaveLength(1);
    expect(synthOf(app, "northwind-bank-dev-westeurope-network").resource!.azurerm_firewall).toBeUndefined();
  });

  it("every platform env × region (its own subscription) gets Defender, the Activity Log export and alerts", () => {
    const tenant = testTenant({
      id: "lakeshore",
      tier: "standard",
      environments: ["prod"],
      regions: [
        { name: "westeurope", addressSpace: "10.40.0.0/20" },
        { name: "northeurope", addressSpace: "10.41.0.0/20" },
      ],
    });
    const app = Testing.app();
    buildEstate(app, [tenant], { backend: "local" });
    const first = synthOf(app, "platform-prod-westeurope-compute").resource!;
    const second = synthOf(app, "platform-prod-northeurope-compute").resource!;
    expect(Object.keys(first.azurerm_security_center_subscription_pricing)).toHaveLength(5);
    expect(Object.keys(first.azurerm_monitor_activity_log_alert).length).toBeGreaterThan(0);
    expect(Object.keys(second.azurerm_security_center_subscription_pricing)).toHaveLength(5);
    expect(Object.keys(second.azurerm_monitor_activity_log_alert).length).toBeGreaterThan(0);
    expect(Object.keys(second.azurerm_monitor_scheduled_query_rules_alert_v2).length).toBeGreaterThan(0);
    // the platform cluster egresses through its own firewall in prod
    expect(Object.keys(first.azurerm_firewall)).toHaveLength(1);
  });
});
