import * as fs from "node:fs";
import * as path from "node:path";
import { normalizePlan, unknownPaths } from "../../lib/gate/normalize";
import type { TenantContext } from "../../lib/gate/model";
import { GateError } from "../../lib/gate/errors";

const PLANS = path.join(__dirname, "..", "fixtures", "plans");
const CORPUS = path.join(PLANS, "corpus");
const tenant: TenantContext = { id: "t", tier: "standard", residency: "eu", compliance: ["gdpr"], env: "prod" };
const index = JSON.parse(fs.readFileSync(path.join(CORPUS, "index.json"), "utf8")) as {
  file: string;
  resource_types: Record<string, number>;
  has_child_modules: boolean;
  azurerm_attr_era_hints: string[];
}[];

describe("plan normalizer on every corpus plan", () => {
  test.each(index.map((e) => [e.file, e] as const))("%s loads with the indexed resource types", (file, entry) => {
    const res = normalizePlan(path.join(CORPUS, file), { tenant });
    const counts: Record<string, number> = {};
    for (const r of res.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual(entry.resource_types);
    for (const r of res.resources) {
      expect(r.key).toBe(`${res.stack}::${r.address}`);
      expect(r.tenant).toBe(tenant);
      expect(r.source.kind).toBe("plan");
      expect(r.actions.length).toBeGreaterThan(0);
    }
    if (entry.has_child_modules) expect(res.resources.some((r) => r.address.startsWith("module."))).toBe(true);
    if (entry.azurerm_attr_era_hints.some((h) => h.includes("allow_blob_public_access"))) {
      const sa = res.resources.filter((r) => r.type === "azurerm_storage_account");
      expect(sa.some((r) => "allow_blob_public_access" in r.values || "enable_https_traffic_only" in r.values)).toBe(
        true,
      );
    }
  });

  test("configuration references become refs (checkov plan)", () => {
    const res = normalizePlan(path.join(CORPUS, "checkov_tfplan_extra_ref_nsg.json"), { tenant, stack: "s" });
    const rule = res.resources.find((r) => r.address === "azurerm_network_security_rule.pass")!;
    expect(rule.refs.network_security_group_name).toEqual(["s::azurerm_network_security_group.pass"]);
    expect(rule.refs.resource_group_name).toEqual(["s::azurerm_resource_group.test"]);
    const nsg = res.resources.find((r) => r.address === "azurerm_network_security_group.fail")!;
    expect(nsg.unknown).toEqual(expect.arrayContaining(["id", "security_rule"]));
  });

  test("module refs resolve inside their module (terraform-compliance plan)", () => {
    const res = normalizePlan(path.join(CORPUS, "tfcompliance_issue294_nsg_vm.json"), { tenant, stack: "s" });
    const vm = res.resources.find((r) => r.address === "module.linuxservers-fail.azurerm_virtual_machine.vm-linux[0]")!;
    expect(vm).toBeDefined();
    const all = Object.values(vm.refs).flat();
    expect(all.some((k) => k.startsWith("s::module.linuxservers-fail."))).toBe(true);
    const data = res.resources.find((r) => r.mode === "data")!;
    expect(data.address).toBe("module.linuxservers-fail.data.azurerm_resource_group.vm");
    expect(data.actions).toEqual(["read"]);
  });
});

describe("plan normalizer semantics", () => {
  const res = normalizePlan(path.join(PLANS, "synthetic_actions_modules.json"), { tenant, stack: "syn" });
  const by = new Map(res.resources.map((r) => [r.address, r]));

  test("delete-only is skipped; replace both ways, no-op and update are kept", () => {
    expect(by.has("azurerm_key_vault.gone")).toBe(false);
    expect(by.get("azurerm_key_vault.replaced")!.actions).toEqual(["delete", "create"]);
    expect(by.get("azurerm_key_vault.cbd")!.actions).toEqual(["create", "delete"]);
    expect(by.get("azurerm_key_vault.same")!.actions).toEqual(["no-op"]);
    expect(by.get("module.net.module.sub.azurerm_storage_account.sa[0]")!.actions).toEqual(["update"]);
  });

  test("nested after_unknown → dotted paths", () => {
    expect([...by.get("azurerm_key_vault.replaced")!.unknown].sort()).toEqual(["id", "network_acls.0.ip_rules"]);
    expect([...by.get("module.net.module.sub.azurerm_storage_account.sa[0]")!.unknown].sort()).toEqual([
      "network_rules.0.ip_rules.1",
      "primary_access_key",
      "tags.owner",
    ]);
    expect(unknownPaths({ a: [{ b: true }, false], c: { d: { e: true } }, f: false })).toEqual(["a.0.b", "c.d.e"]);
  });

  test("old and new attribute names survive untouched", () => {
    expect(by.get("module.net.module.sub.azurerm_storage_account.sa[0]")!.values).toMatchObject({
      enable_https_traffic_only: true,
      allow_blob_public_access: false,
    });
    expect(by.get("module.net.module.sub.azurerm_storage_account.sa[1]")!.values).toMatchObject({
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
    });
  });

  test("refs: data sources, nested-module count instances; var refs ignored", () => {
    expect(by.get("azurerm_key_vault.replaced")!.refs).toEqual({
      tenant_id: ["syn::data.azurerm_client_config.current"],
    });
    expect([...by.get("module.net.module.sub.azurerm_storage_container.c")!.refs.storage_account_name].sort()).toEqual([
      "syn::module.net.module.sub.azurerm_storage_account.sa[0]",
      "syn::module.net.module.sub.azurerm_storage_account.sa[1]",
    ]);
  });

  test("format 0.1 without resource_changes falls back to planned_values incl. child modules", () => {
    const pv = normalizePlan(path.join(PLANS, "synthetic_planned_values_only.json"), { tenant });
    expect(pv.resources.map((r) => r.address).sort()).toEqual(["azurerm_key_vault.a", "module.m.azurerm_key_vault.b"]);
    expect(pv.stack).toBe("synthetic_planned_values_only");
  });

  test.each([
    ["synthetic_future_format.json", /unsupported plan format_version "2.0"/],
    ["synthetic_state_not_plan.json", /state file/],
    ["index.json", /not a Terraform plan/],
  ])("%s is rejected with exit 2", (file, re) => {
    const f = fs.existsSync(path.join(PLANS, file)) ? path.join(PLANS, file) : path.join(CORPUS, file);
    let err: unknown;
    try {
      normalizePlan(f, { tenant });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GateError);
    expect((err as GateError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(re);
  });

  test("not JSON → clear error", () => {
    expect(() => normalizePlan(path.join(PLANS, "ATTRIBUTION.md"), { tenant })).toThrow(
      /not JSON.*terraform show -json/,
    );
  });
});
