/**
 * Plan-only lifecycle rules (ZG-LC-001 protected deletes/replaces, ZG-LC-002 weakened settings) through the
 * real bundle and the plan normalizer, on azurerm plan JSON with replaces, outright deletes and updates.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runGate } from "../../lib/gate/gate";
import { normalizePlan } from "../../lib/gate/normalize";
import type { TenantContext } from "../../lib/gate/model";
import { loadOffboarding, offboardingInput } from "../../lib/delivery/offboarding";
import { REPO, realBundleExists, tmpDir } from "./helpers";

const FIX = path.join(REPO, "test", "fixtures", "plans", "lifecycle");
const acme: TenantContext = { id: "acme", tier: "premium", residency: "eu", compliance: ["pci-dss-4.0"], env: "prod" };
const maybe = realBundleExists() ? describe : describe.skip;

async function lc(plan: string, extra: Parameters<typeof runGate>[0] = {}) {
  const run = await runGate({ root: REPO, plans: [path.join(FIX, plan)], tenant: acme, waivers: undefined, ...extra });
  return run.verdict.findings.filter((f) => f.rule.startsWith("ZG-LC-"));
}

describe("plan normalizer: before values and outright deletes", () => {
  test("replaces and updates carry change.before; outright deletes are kept apart with their prior state", () => {
    const r = normalizePlan(path.join(FIX, "replace_key_vault.plan.json"), { tenant: acme });
    expect(r.resources[0].actions).toEqual(["delete", "create"]);
    expect(r.resources[0].before).toMatchObject({ name: "kv-acme-prod-weu", purge_protection_enabled: true });
    expect(r.resources[0].values.name).toBe("kv-acme-prod-weu2");
    const d = normalizePlan(path.join(FIX, "delete_audit_evidence.plan.json"), { tenant: acme });
    expect(d.resources).toEqual([]);
    expect(d.deleted.map((x) => x.type)).toContain("azurerm_storage_container_immutability_policy");
    expect(d.deleted[0].values).toEqual(d.deleted[0].before);
    const c = normalizePlan(path.join(REPO, "test", "fixtures", "plans", "synthetic_planned_values_only.json"), {
      tenant: acme,
    });
    expect(c.resources.every((x) => x.before === undefined)).toBe(true);
  });
});

maybe("lifecycle rules on azurerm plans (real bundle)", () => {
  test("replacing the Key Vault is a mandatory ZG-LC-001 finding", async () => {
    const f = await lc("replace_key_vault.plan.json");
    expect(f.map((x) => [x.rule, x.address, x.status])).toEqual([["ZG-LC-001", "azurerm_key_vault.kv", "violation"]]);
    expect(f[0].message).toMatch(/replaced \(destroyed and re-created\) without a declared offboarding/);
  });

  test("deleting the audit evidence: every protected resource is reported, an unrelated storage account is not", async () => {
    const f = await lc("delete_audit_evidence.plan.json");
    expect(f.map((x) => x.address).sort()).toEqual(
      [
        "azurerm_key_vault_key.cmk",
        "azurerm_log_analytics_data_export_rule.audit",
        "azurerm_management_lock.rg",
        "azurerm_monitor_diagnostic_setting.kv",
        "azurerm_network_watcher_flow_log.vnet",
        "azurerm_storage_account.archive",
        "azurerm_storage_container.audit",
        "azurerm_storage_container_immutability_policy.worm",
      ].sort(),
    );
    expect(f.every((x) => x.status === "violation" && /deleted without a declared offboarding/.test(x.message))).toBe(
      true,
    );
  });

  test("a declared offboarding allows the deletes except the WORM archive, its policy and the keys before retainUntil", async () => {
    const dir = tmpDir("zg-offb-");
    fs.writeFileSync(
      path.join(dir, "acme.yaml"),
      [
        "tenant: acme",
        'reason: "contract ended, CHG-1234"',
        "requestedBy: alice@bank.example",
        "approvedBy: bob@bank.example",
        "approvedOn: 2026-11-20",
        "retainUntil: 2033-11-20",
        "",
      ].join("\n"),
    );
    const decl = loadOffboarding("acme", dir, new Date("2026-11-30T00:00:00Z"));
    const before = await lc("delete_audit_evidence.plan.json", {
      offboarding: offboardingInput([decl], new Date("2026-11-30T00:00:00Z")),
    });
    expect(before.map((x) => x.address).sort()).toEqual([
      "azurerm_key_vault_key.cmk",
      "azurerm_storage_account.archive",
      "azurerm_storage_container.audit",
      "azurerm_storage_container_immutability_policy.worm",
    ]);
    expect(before.every((x) => /before the WORM retention .* ends \(2033-11-20\)/.test(x.message))).toBe(true);
    const after = await lc("delete_audit_evidence.plan.json", {
      offboarding: offboardingInput([decl], new Date("2033-11-21T00:00:00Z")),
    });
    expect(after).toEqual([]);
  });

  test("weakening settings that were compliant is reported with before and after", async () => {
    const f = await lc("weaken_settings.plan.json");
    const byAddr = Object.fromEntries(f.map((x) => [x.address, x.message]));
    expect(byAddr["azurerm_log_analytics_workspace.ws"]).toBe(
      "retention_in_days weakened: before 730 (compliant, deployed) → after 400",
    );
    expect(byAddr["azurerm_key_vault.kv"]).toMatch(
      /public_network_access_enabled weakened: before false .* after true/,
    );
    expect(byAddr["azurerm_storage_container_immutability_policy.worm"]).toMatch(
      /immutability_period_in_days weakened: before 2557 .* after 400/,
    );
    expect(f.every((x) => x.rule === "ZG-LC-002" && x.status === "violation")).toBe(true);
    // In dev the same change is advisory.
    const dev = await lc("weaken_settings.plan.json", { tenant: { ...acme, env: "dev" } });
    expect(dev.every((x) => x.status === "advisory")).toBe(true);
  });
});

describe("offboarding declarations", () => {
  const write = (body: string) => {
    const dir = tmpDir("zg-offb-bad-");
    fs.writeFileSync(path.join(dir, "acme.yaml"), body);
    return dir;
  };
  const ok = {
    tenant: "acme",
    reason: '"contract ended, CHG-1234"',
    requestedBy: "alice@bank.example",
    approvedBy: "bob@bank.example",
    approvedOn: "2026-11-20",
    retainUntil: "2033-11-20",
  };
  const yaml = (o: Record<string, string>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n");
  const now = new Date("2026-11-30T00:00:00Z");
  test.each([
    [
      "self-approved",
      { ...ok, approvedBy: "alice@bank.example" },
      /acme\.yaml:4:\d+ approvedBy: must be someone other/,
    ],
    [
      "future approval",
      { ...ok, approvedOn: "2027-01-01" },
      /acme\.yaml:5:\d+ approvedOn: 2027-01-01 is in the future/,
    ],
    ["bad date", { ...ok, retainUntil: "2033-02-30" }, /acme\.yaml:6:\d+ retainUntil: "2033-02-30" is not a date/],
    ["other tenant", { ...ok, tenant: "globex" }, /acme\.yaml:1:\d+ tenant: "globex" must equal the file name/],
    ["short reason", { ...ok, reason: "bye" }, /acme\.yaml:2:\d+ reason: at least 10 characters/],
  ])("refuses a declaration: %s", (_name, o, re) => {
    expect(() => loadOffboarding("acme", write(yaml(o)), now)).toThrow(re);
  });
  test("missing file and unknown fields are refused with the path", () => {
    expect(() => loadOffboarding("acme", tmpDir("zg-offb-none-"), now)).toThrow(/no declaration .*acme\.yaml/);
    expect(() => loadOffboarding("acme", write(`${yaml(ok)}\nextra: 1`), now)).toThrow(/:7:\d+ extra: unknown field/);
  });
});
