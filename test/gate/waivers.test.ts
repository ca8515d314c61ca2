import * as fs from "node:fs";
import * as path from "node:path";
import { boundsFromData, DEFAULT_BOUNDS, loadWaivers, waiverMatches } from "../../lib/gate/waivers";
import { GateError } from "../../lib/gate/errors";
import { gateResources } from "../../lib/gate/gate";
import type { ResourceModel } from "../../lib/gate/model";
import { fixtureBundleOptions, tmpDir } from "./helpers";

const known = new Set(["ZT-KV-001", "ZT-ST-001", "ZT-NW-001"]);

function file(text: string): string {
  const f = path.join(tmpDir("zg-waivers-"), "waivers.yaml");
  fs.writeFileSync(f, text);
  return f;
}

function rejected(text: string): string {
  try {
    loadWaivers(file(text), { knownRules: known, display: "waivers.yaml", bounds: null });
  } catch (e) {
    expect(e).toBeInstanceOf(GateError);
    expect((e as GateError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error("expected the waiver file to be rejected");
}

const valid = `# waivers
- rule: ZT-KV-001
  address: "azurerm_key_vault.*"
  tenant: acme
  reason: migration of legacy vault, ticket SEC-42
  approver: ciso@example.com
  expires: 2099-12-31
- rule: ZT-ST-001
  address: "module.*.azurerm_storage_account.sa[[]0]"
  tenant: "*"
  reason: vendor appliance needs TLS 1.0 until replacement
  approver: sec-lead@example.com
  expires: 2020-01-31
`;

describe("waivers", () => {
  test("valid file loads with lines; empty file and missing default are no waivers", () => {
    const ws = loadWaivers(file(valid), { knownRules: known, display: "waivers.yaml", bounds: null });
    expect(ws).toHaveLength(2);
    expect(ws[0]).toMatchObject({ rule: "ZT-KV-001", expires: "2099-12-31", line: 2, file: "waivers.yaml" });
    expect(ws[1].line).toBe(8);
    expect(loadWaivers(file("# none\n"), { knownRules: known })).toEqual([]);
    expect(loadWaivers(file(valid), { knownRules: known, bounds: null })).toHaveLength(2);
    expect(loadWaivers(file("[]\n"), { knownRules: known })).toEqual([]);
    expect(loadWaivers("/nonexistent/waivers.yaml", { knownRules: known })).toEqual([]);
    expect(() => loadWaivers("/nonexistent/waivers.yaml", { knownRules: known, required: true })).toThrow(/not found/);
  });

  test("malformed → exit 2 with file:line", () => {
    expect(rejected(valid.replace("  reason: migration of legacy vault, ticket SEC-42\n", ""))).toMatch(
      /waivers\.yaml:2: waiver #1 is missing reason/,
    );
    expect(rejected(valid.replace("  approver: sec-lead@example.com\n", ""))).toMatch(
      /waivers\.yaml:8: waiver #2 is missing approver/,
    );
    expect(rejected(valid.replace("expires: 2099-12-31", "expires: 2099-02-30"))).toMatch(
      /waivers\.yaml:7: expires "2099-02-30" is not a date/,
    );
    expect(rejected(valid.replace("expires: 2099-12-31", "expires: next year"))).toMatch(
      /waivers\.yaml:7: .*not a date/,
    );
    expect(rejected(valid.replace("  expires: 2099-12-31\n", ""))).toMatch(/missing expires/);
    expect(rejected(valid.replace("rule: ZT-KV-001", "rule: ZT-NOPE-9"))).toMatch(
      /waivers\.yaml:2: unknown rule id "ZT-NOPE-9"/,
    );
    expect(rejected(valid.replace("  tenant: acme\n", "  tenant: acme\n  expiry: 2020-01-01\n"))).toMatch(
      /waivers\.yaml:5: unknown field "expiry"/,
    );
    expect(rejected("rule: x\n")).toMatch(/expected a list/);
    expect(rejected("- rule: [\n")).toMatch(/waivers\.yaml:\d+: invalid YAML/);
  });

  test("glob over addresses (minimatch), tenant match, platform", () => {
    const [w] = loadWaivers(file(valid), { knownRules: known, bounds: null });
    const f = {
      rule: "ZT-KV-001",
      address: "azurerm_key_vault.kv_1A2B",
      key: "acme-prod::azurerm_key_vault.kv_1A2B",
      tenant: "acme",
    };
    expect(waiverMatches(w, f)).toBe(true);
    expect(waiverMatches(w, { ...f, tenant: "other" })).toBe(false);
    expect(waiverMatches(w, { ...f, address: "azurerm_key_vault_key.k", key: "x::azurerm_key_vault_key.k" })).toBe(
      false,
    );
    expect(waiverMatches({ ...w, address: "acme-prod::*" }, f)).toBe(true);
    expect(waiverMatches({ ...w, tenant: "platform" }, { ...f, tenant: null })).toBe(true);
  });

  test("waived passes, expired counts again and says so, unused is reported", async () => {
    const ws = loadWaivers(file(valid), { knownRules: known, display: "waivers.yaml", bounds: null });
    const base = {
      provider: "azurerm",
      mode: "managed" as const,
      actions: ["create"],
      unknown: [],
      refs: {},
      source: { kind: "plan" as const, file: "p.json" },
      stack: "acme-prod",
      tenant: { id: "acme", tier: "standard" as const, residency: "eu", compliance: [], env: "prod" as const },
    };
    const kv: ResourceModel = {
      ...base,
      key: "acme-prod::azurerm_key_vault.kv",
      address: "azurerm_key_vault.kv",
      type: "azurerm_key_vault",
      name: "kv",
      values: {},
    };
    const v1 = await gateResources([kv], false, {
      bundle: fixtureBundleOptions(),
      waivers: ws,
      now: new Date("2030-01-01"),
    });
    expect(v1.exitCode).toBe(0);
    expect(v1.findings[0]).toMatchObject({ status: "waived", waiver: { approver: "ciso@example.com" } });
    expect(v1.unusedWaivers).toHaveLength(1);
    expect(v1.warnings.join("\n")).toMatch(/waivers\.yaml:8: waiver for ZT-ST-001 .* matches no finding/);
    const sa: ResourceModel = {
      ...base,
      key: "acme-prod::module.x.azurerm_storage_account.sa[0]",
      address: "module.x.azurerm_storage_account.sa[0]",
      type: "azurerm_storage_account",
      name: "sa",
      values: { min_tls_version: "TLS1_0" },
    };
    const v2 = await gateResources([sa], false, {
      bundle: fixtureBundleOptions(),
      waivers: ws,
      now: new Date("2030-01-01"),
    });
    expect(v2.exitCode).toBe(1);
    expect(v2.findings[0]).toMatchObject({ status: "violation", waiverExpired: "2020-01-31" });
    expect(v2.totals.expiredWaivers).toBe(1);
    // the expiry day itself is still covered
    const v3 = await gateResources([sa], false, {
      bundle: fixtureBundleOptions(),
      waivers: ws,
      now: new Date("2020-01-31T12:00:00Z"),
    });
    expect(v3.exitCode).toBe(0);
  });

  describe("bounds (issue #9 item 6)", () => {
    const severities = new Map([
      ["ZT-KV-001", "high"],
      ["ZT-ST-001", "critical"],
    ]);
    const bounds = { ...DEFAULT_BOUNDS, approvers: ["ciso@example.com", "cto@example.com", "dpo@example.com"] };
    const one = (extra: Partial<Record<string, string>>, lines?: string) =>
      `- rule: ${extra.rule ?? "ZT-KV-001"}
  address: "${extra.address ?? "acme-prod-westeurope-security::azurerm_key_vault.*"}"
  tenant: ${extra.tenant ?? "acme"}
  reason: migration, SEC-42
${lines ?? `  approver: ${extra.approver ?? "ciso@example.com"}`}
  expires: ${extra.expires ?? "2030-02-01"}
`;
    const load = (text: string, b = bounds) =>
      loadWaivers(file(text), {
        knownRules: known,
        display: "waivers.yaml",
        bounds: b,
        severities,
        today: "2030-01-01",
      });
    const refused = (text: string, b = bounds): string => {
      try {
        load(text, b);
      } catch (e) {
        expect(e).toBeInstanceOf(GateError);
        return (e as Error).message;
      }
      throw new Error("expected the waiver file to be refused");
    };

    test("a stack-scoped, 90-day waiver of a high rule loads", () => {
      expect(load(one({}))).toHaveLength(1);
      expect(load(one({ expires: "2030-04-01" }))).toHaveLength(1); // exactly 90 days
    });
    test("broader than one stack → file invalid with file:line", () => {
      expect(refused(one({ address: "azurerm_key_vault.*" }))).toMatch(/waivers\.yaml:2: address .* spans stacks/);
      expect(refused(one({ address: "acme-*::azurerm_key_vault.*" }))).toMatch(/waivers\.yaml:2: .*spans stacks/);
      expect(refused(one({ tenant: '"*"' }))).toMatch(/waivers\.yaml:3: tenant "\*" spans every tenant/);
      // scope "tenant" allows any stack of one tenant, still not "*"
      expect(load(one({ address: "azurerm_key_vault.*" }), { ...bounds, scope: "tenant" })).toHaveLength(1);
      expect(refused(one({ tenant: '"*"' }), { ...bounds, scope: "tenant" })).toMatch(/spans every tenant/);
    });
    test("expiry beyond the horizon → invalid", () => {
      expect(refused(one({ expires: "2030-04-02" }))).toMatch(
        /waivers\.yaml:6: expires 2030-04-02 is more than 90 days ahead \(latest allowed 2030-04-01\)/,
      );
      expect(load(one({ expires: "2030-06-01" }), { ...bounds, maxHorizonDays: 180 })).toHaveLength(1);
    });
    test("critical rules need two distinct listed approvers", () => {
      expect(refused(one({ rule: "ZT-ST-001" }))).toMatch(
        /waivers\.yaml:5: ZT-ST-001 is critical; it needs 2 distinct/,
      );
      expect(refused(one({ rule: "ZT-ST-001" }, "  approvers: [ciso@example.com, CISO@example.com]"))).toMatch(
        /needs 2 distinct approvers .* got 1/,
      );
      expect(refused(one({ rule: "ZT-ST-001" }, "  approvers: [ciso@example.com, intern@example.com]"))).toMatch(
        /"intern@example\.com" are not in the configured approvers list/,
      );
      const ok = load(one({ rule: "ZT-ST-001" }, "  approvers: [ciso@example.com, dpo@example.com]"));
      expect(ok[0]).toMatchObject({ approver: "ciso@example.com, dpo@example.com" });
      expect(
        refused(one({ rule: "ZT-ST-001" }, "  approvers: [ciso@example.com, dpo@example.com]"), {
          ...bounds,
          criticalWaivable: false,
        }),
      ).toMatch(/critical findings are not waivable/);
      // nobody configured: critical findings cannot be waived at all
      expect(
        refused(one({ rule: "ZT-ST-001" }, "  approvers: [a@x.com, b@x.com]"), { ...bounds, approvers: [] }),
      ).toMatch(/none configured/);
    });
    test("bounds from the bundle data: defaults when absent, malformed → exit 2", () => {
      expect(boundsFromData({})).toEqual(DEFAULT_BOUNDS);
      expect(boundsFromData({ waiver_bounds: { max_horizon_days: 30 } }).maxHorizonDays).toBe(30);
      expect(() => boundsFromData({ waiver_bounds: { max_horizon_days: -1 } })).toThrow(/max_horizon_days/);
      expect(() => boundsFromData({ waiver_bounds: { scope: "estate" } })).toThrow(/scope/);
      expect(() => boundsFromData({ waiver_bounds: { approver: [] } })).toThrow(/unknown field "approver"/);
    });
    test("unsafe globs are refused; matching is linear", () => {
      expect(refused(one({ address: "acme-prod-westeurope-security::{a,b}" }))).toMatch(/brace alternatives/);
      expect(refused(one({ address: "acme-prod-westeurope-security::+(a|b)" }))).toMatch(/extglob/);
      expect(refused(one({ address: "acme-prod-westeurope-security::**" }))).toMatch(/`\*\*` is not supported/);
      expect(refused(one({ address: `acme-prod-westeurope-security::${"a".repeat(600)}` }))).toMatch(/limit 512/);
      const [w] = load(one({ address: `acme-prod-westeurope-security::${"*a".repeat(16)}` }));
      const t0 = Date.now();
      const f = { rule: "ZT-KV-001", address: "a".repeat(5000) + "b", key: "x", tenant: "acme" };
      expect(waiverMatches(w, f)).toBe(false);
      expect(Date.now() - t0).toBeLessThan(2000);
    });
  });
});
