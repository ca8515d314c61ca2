/**
 * The approved-services catalogue (policies/data/services.json) is well-formed and consistent with the rule
 * library, and residency reaches platform stacks: their zone comes from their region (or --residency).
 */
import * as path from "node:path";
import * as fs from "node:fs";
import { loadServices, rulesCovering, type ServiceEntry } from "../../lib/gate/services";
import type { Manifest } from "../../lib/gate/catalogue";
import { residencyCatalogue, zoneIds } from "../../lib/residency";
import { loadInputs, normalizeSynth } from "../../lib/gate/normalize";
import { generatePlan } from "../../scripts/bench/plan-gen";
import { REPO } from "./helpers";

const cat = loadServices(REPO);
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "policies", "dist", "manifest.json"), "utf8")) as Manifest;
const entries = Object.entries(cat.services) as [string, ServiceEntry][];
const PLATFORM = path.join(__dirname, "..", "fixtures", "adversarial", "platform-zone");

describe("approved-services catalogue", () => {
  test("every entry is complete and uses known zones", () => {
    const zones = new Set(zoneIds());
    const problems: string[] = [];
    for (const [t, e] of entries) {
      if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(t)) problems.push(`${t}: not a resource type name`);
      if (!e.provider || !t.startsWith(e.provider === "terraform" ? "terraform_" : `${e.provider}_`))
        problems.push(`${t}: provider ${e.provider} does not match the type`);
      if (!["stores", "moves", "none"].includes(e.cardholder_data)) problems.push(`${t}: cardholder_data`);
      if (!Array.isArray(e.location_paths) || e.location_paths.some((p) => typeof p !== "string" || !p))
        problems.push(`${t}: location_paths`);
      if (typeof e.global !== "boolean") problems.push(`${t}: global`);
      if (e.zones !== "*" && !(Array.isArray(e.zones) && e.zones.every((z) => zones.has(z))))
        problems.push(`${t}: zones must be "*" or known zone ids`);
      if (e.global && !Array.isArray(e.zones))
        problems.push(`${t}: a global service needs an explicit per-zone decision`);
      if (e.azapi && !e.arm_type) problems.push(`${t}: azapi without arm_type`);
    }
    expect(problems).toEqual([]);
  });

  test("Front Door and CDN are approved for no zone, Traffic Manager for every zone (explicitly)", () => {
    for (const t of ["azurerm_cdn_frontdoor_profile", "azurerm_cdn_profile", "azurerm_frontdoor"])
      expect(cat.services[t].zones).toEqual([]);
    expect(cat.services.azurerm_traffic_manager_profile.zones).toEqual(zoneIds());
  });

  test("each ARM type maps to one catalogue entry", () => {
    const arm = entries.filter(([, e]) => e.arm_type).map(([, e]) => e.arm_type!.toLowerCase());
    expect(arm.length).toBeGreaterThan(10);
    expect(new Set(arm).size).toBe(arm.length);
  });

  test("each entry lists exactly the rules that judge its type", () => {
    const ids = new Set(manifest.rules.map((r) => r.id));
    const stale = entries
      .filter(([t, e]) => JSON.stringify([...e.rules].sort()) !== JSON.stringify(rulesCovering(t, e, manifest.rules)))
      .map(([t, e]) => `${t}: lists ${e.rules.join(",")}, rules say ${rulesCovering(t, e, manifest.rules).join(",")}`);
    expect(stale).toEqual([]);
    expect(entries.flatMap(([, e]) => e.rules).filter((id) => !ids.has(id))).toEqual([]);
  });

  test("the approved data stores are covered by their rules", () => {
    const want: Record<string, string[]> = {
      azurerm_mssql_server: ["ZG-DB-001", "ZG-DB-002", "ZG-DB-004"],
      azurerm_mssql_firewall_rule: ["ZG-DB-003"],
      azurerm_mssql_database: ["ZG-RES-005"],
      azurerm_postgresql_flexible_server: ["ZG-DB-002", "ZG-DB-004", "ZG-RES-005"],
      azurerm_postgresql_flexible_server_firewall_rule: ["ZG-DB-003"],
      azurerm_postgresql_flexible_server_configuration: ["ZG-DB-001"],
      azurerm_redis_cache: ["ZG-DB-001", "ZG-DB-002"],
      azurerm_redis_firewall_rule: ["ZG-DB-003"],
      azurerm_cosmosdb_account: ["ZG-DB-001", "ZG-DB-002", "ZG-DB-003", "ZG-DB-004", "ZG-RES-001", "ZG-RES-005"],
    };
    for (const [t, ids] of Object.entries(want))
      expect({ t, rules: cat.services[t].rules }).toEqual({ t, rules: expect.arrayContaining(ids) });
  });

  test("types the residency catalogue calls global are catalogued (or denied)", () => {
    const known = new Set([...Object.keys(cat.services), ...Object.keys(cat.services_denied)]);
    expect(residencyCatalogue().globalLocationTypes.filter((t) => !known.has(t))).toEqual([]);
  });

  test("denied and data-source sections are not also approved services", () => {
    expect(Object.keys(cat.services_denied).filter((t) => t in cat.services)).toEqual([]);
    expect(Object.values(cat.services_denied).every((d) => d.reason.length > 10)).toBe(true);
  });

  test("every type of the generated bench plan is catalogued", () => {
    const g = generatePlan({ resources: 1000, seed: 1 });
    const types = new Set(
      ((g.plan as { resource_changes: { type: string }[] }).resource_changes ?? []).map((r) => r.type),
    );
    expect(types.size).toBeGreaterThan(20);
    expect([...types].filter((t) => !(t in cat.services))).toEqual([]);
  });
});

describe("residency of platform (shared) stacks", () => {
  test("a platform stack's zone is its region's", () => {
    const s = normalizeSynth(path.join(PLATFORM, "compliant-platform-identity", "stack"), { root: REPO });
    expect(s.resources.map((r) => [r.tenant, r.context?.residency])).toEqual([[null, "us"]]);
  });

  test("a region in no zone leaves the zone undecided (the residency rules report it)", () => {
    const s = normalizeSynth(path.join(PLATFORM, "region-in-no-zone", "stack"), { root: REPO });
    expect(s.resources.map((r) => r.context?.residency)).toEqual([undefined]);
  });

  test("--residency applies to every input lacking a tenant", async () => {
    const tenant = { id: "adhoc", tier: "standard", residency: "eu", compliance: [], env: "prod" } as const;
    const inputs = await loadInputs({
      synth: path.join(PLATFORM, "compliant-platform-identity", "stack"),
      tenant,
      root: REPO,
    });
    expect(inputs.resources.map((r) => [r.tenant, r.context?.residency, r.context?.region])).toEqual([
      [null, "eu", "eastus2"],
    ]);
  });
});
