/**
 * The benchmark's plan generator (scripts/bench/plan-gen.ts) produces valid Terraform plan JSON that the real
 * plan normalizer accepts, deterministically, with exactly N resources; a plan without injected violations
 * passes every rule of the library and one with violations fails. Correctness only — no timings here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BENCH_TENANT, breakKinds, generatePlan } from "../../scripts/bench/plan-gen";
import { AUDIT_TABLES } from "../../constructs/log-analytics-workspace";
import { assertPlan, normalizePlanDoc } from "../../lib/gate/normalize/plan";
import { gateResources } from "../../lib/gate/gate";

const ROOT = path.resolve(__dirname, "../..");

describe("plan generator", () => {
  test("valid plan JSON (format 1.2, resource_changes, planned_values, configuration) with exactly N resources", () => {
    const { plan, stats } = generatePlan({ resources: 500, seed: 3 });
    expect(() => assertPlan(plan, "gen.json")).not.toThrow();
    expect(plan.format_version).toBe("1.2");
    const rc = plan.resource_changes as { address: string; change: { after: unknown; after_unknown: unknown } }[];
    expect(rc).toHaveLength(500);
    expect(new Set(rc.map((r) => r.address)).size).toBe(500);
    for (const r of rc) {
      expect(r.change.after).toBeInstanceOf(Object);
      expect(r.change.after_unknown).toBeInstanceOf(Object);
    }
    expect(stats.resources).toBe(500);
    const types = Object.keys(stats.byType);
    for (const t of [
      "azurerm_key_vault",
      "azurerm_storage_container_immutability_policy",
      "azurerm_kubernetes_cluster",
      "helm_release",
      "kubernetes_manifest",
      "azurerm_api_management",
    ]) {
      expect(types).toContain(t);
    }
    // Round-trips through JSON and the real normalizer, with references resolved to keys.
    const doc = JSON.parse(JSON.stringify(plan));
    const { resources } = normalizePlanDoc(doc, "gen.json", { tenant: BENCH_TENANT, root: ROOT });
    expect(resources).toHaveLength(500);
    const diag = resources.find((r) => r.type === "azurerm_monitor_diagnostic_setting")!;
    expect(diag.refs.target_resource_id?.[0]).toMatch(/^gen::module\.lz_\d{4}\.azurerm_/);
  });

  test("generated workspaces carry the audit tables the construct (and ZG-LOG-002) require", () => {
    const rc = generatePlan({ resources: 400, seed: 1, violationRate: 0 }).plan.resource_changes as {
      address: string;
      type: string;
      change: { after: { name?: string } };
    }[];
    const workspaces = new Set(rc.filter((r) => r.type === "azurerm_log_analytics_workspace").map((r) => r.address));
    expect(workspaces.size).toBeGreaterThan(1);
    const lz0 = rc.filter(
      (r) => r.type === "azurerm_log_analytics_workspace_table" && r.address.startsWith("module.lz_0000."),
    );
    expect(lz0.map((r) => r.change.after.name).sort()).toEqual([...AUDIT_TABLES].sort());
  });

  test("the compliant values are the constructs' (one copy of each default, none typed in the generator)", () => {
    const rc = generatePlan({ resources: 400, seed: 1, violationRate: 0 }).plan.resource_changes as {
      type: string;
      change: { after: Record<string, unknown> };
    }[];
    const kv = rc.find((r) => r.type === "azurerm_key_vault")!.change.after;
    // Attribute names of the pinned provider as the construct writes them (the old hand-typed plan used the
    // deprecated enable_rbac_authorization); blocks as one-element lists, as in a real plan.
    expect(kv.rbac_authorization_enabled).toBe(true);
    expect(kv.enable_rbac_authorization).toBeUndefined();
    expect(kv.network_acls).toEqual([expect.objectContaining({ default_action: "Deny" })]);
    const src = fs.readFileSync(path.join(ROOT, "scripts/bench/plan-gen.ts"), "utf8");
    for (const literal of ["purge_protection_enabled", "min_tls_version", "private_cluster_enabled", "RSA-HSM"]) {
      expect(src).not.toContain(literal);
    }
  });

  test("every injected break, alone in clean units, is found by the gate", async () => {
    const missed: string[] = [];
    for (const only of breakKinds()) {
      const g = generatePlan({ resources: 320, seed: 1, onlyBreak: only });
      expect(g.stats.violatingResources).toBeGreaterThan(0);
      const r = normalizePlanDoc(JSON.parse(JSON.stringify(g.plan)), "one.json", { tenant: BENCH_TENANT, root: ROOT });
      const v = await gateResources(r.resources, false, { bundle: { root: ROOT } });
      if (v.totals.violations === 0) missed.push(only);
    }
    expect(missed).toEqual([]);
  });

  test("deterministic for a seed, different for another", () => {
    const a = JSON.stringify(generatePlan({ resources: 300, seed: 7 }).plan);
    expect(JSON.stringify(generatePlan({ resources: 300, seed: 7 }).plan)).toBe(a);
    expect(JSON.stringify(generatePlan({ resources: 300, seed: 8 }).plan)).not.toBe(a);
  });

  test("default violation share is realistic (5–10 % of resources)", () => {
    const { stats } = generatePlan({ resources: 5000, seed: 1 });
    expect(stats.violationShare).toBeGreaterThanOrEqual(0.03);
    expect(stats.violationShare).toBeLessThanOrEqual(0.1);
  });

  test("through the real gate: a clean plan passes every rule, a plan with violations fails", async () => {
    const clean = generatePlan({ resources: 400, seed: 2, violationRate: 0 });
    const rc = normalizePlanDoc(JSON.parse(JSON.stringify(clean.plan)), "clean.json", {
      tenant: BENCH_TENANT,
      root: ROOT,
    });
    const v0 = await gateResources(rc.resources, false, { bundle: { root: ROOT } });
    expect(v0.findings.map((f) => `${f.rule} ${f.address}`)).toEqual([]);

    const bad = generatePlan({ resources: 400, seed: 2, violationRate: 0.3 });
    const rb = normalizePlanDoc(JSON.parse(JSON.stringify(bad.plan)), "bad.json", { tenant: BENCH_TENANT, root: ROOT });
    const v1 = await gateResources(rb.resources, false, { bundle: { root: ROOT } });
    expect(bad.stats.violatingResources).toBeGreaterThan(0);
    expect(v1.totals.violations).toBeGreaterThan(0);
    expect(new Set(v1.findings.map((f) => f.rule)).size).toBeGreaterThan(5);
  });
});
