import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeHcl } from "../../lib/gate/normalize";
import type { TenantContext } from "../../lib/gate/model";

const HCL = path.join(__dirname, "..", "fixtures", "hcl");
const tenant: TenantContext = { id: "t", tier: "standard", residency: "eu", compliance: [], env: "prod" };
const checks = fs.readdirSync(path.join(HCL, "checkov-azure")).sort();

describe("HCL normalizer", () => {
  test.each(checks)("checkov-azure/%s/main.tf parses and holds every expected address", async (check) => {
    const dir = path.join(HCL, "checkov-azure", check);
    const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
    const res = await normalizeHcl(path.join(dir, "main.tf"), { tenant, stack: check });
    const addresses = new Set(res.resources.map((r) => r.address));
    for (const a of [...expected.passing, ...expected.failing]) expect(addresses).toContain(a);
    for (const r of res.resources) {
      expect(r.source.kind).toBe("hcl");
      expect(r.source.line).toBeGreaterThan(0);
    }
  });

  test("locals resolved; undeclared variables, references and unknown dynamic blocks are unknown; .tf.json too", async () => {
    const res = await normalizeHcl(path.join(HCL, "basic"), { tenant });
    expect(res.stack).toBe("basic");
    const by = new Map(res.resources.map((r) => [r.address, r]));
    const kv = by.get("azurerm_key_vault.kv")!;
    expect(kv.values.purge_protection_enabled).toBeNull();
    expect(kv.values.name).toBe("zg-kv");
    expect([...kv.unknown].sort()).toEqual(["purge_protection_enabled", "tenant_id"]);
    expect(kv.refs.tenant_id).toEqual(["basic::data.azurerm_client_config.current"]);
    expect(kv.values.network_acls).toEqual([{ default_action: "Deny", bypass: "AzureServices" }]);
    const text = fs.readFileSync(path.join(HCL, "basic", "main.tf"), "utf8").split("\n");
    expect(text[kv.source.line! - 1]).toMatch(/^resource "azurerm_key_vault" "kv"/);
    expect(by.has("azurerm_network_security_group.nsg")).toBe(false);
    const nsg = by.get("azurerm_network_security_group.nsg[1]")!;
    expect(nsg.unknown).toContain("security_rule");
    expect(nsg.values).not.toHaveProperty("count");
    expect(nsg.values).not.toHaveProperty("dynamic");
    expect(by.get("azurerm_storage_account.sa")!.values).toMatchObject({
      min_tls_version: "TLS1_2",
      tags: { env: "prod" },
    });
    expect(by.get("data.azurerm_client_config.current")!.mode).toBe("data");
    const jkv = by.get("azurerm_key_vault.json_kv")!;
    expect(jkv.values.purge_protection_enabled).toBe(true);
    expect(jkv.source.file).toMatch(/extra\.tf\.json$/);
    expect(jkv.refs.tenant_id).toEqual(["basic::data.azurerm_client_config.current"]);
  });

  test("var-valued checked attribute is unknown (checkov CKV_AZURE_12 invalid_days_string)", async () => {
    const res = await normalizeHcl(
      path.join(HCL, "checkov-azure", "CKV_AZURE_12_NetworkWatcherFlowLogPeriod", "main.tf"),
      { tenant },
    );
    const r = res.resources.find(
      (x) => x.address === "azurerm_network_watcher_flow_log.test_failure_invalid_days_string",
    )!;
    expect(r.unknown.some((p) => p.startsWith("retention_policy"))).toBe(true);
  });

  test("missing directory", async () => {
    await expect(normalizeHcl(path.join(HCL, "nope"), { tenant })).rejects.toThrow(/not found/);
  });
});
