import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadInputs, normalizePlan, normalizePlanDoc, unknownPaths } from "../../lib/gate/normalize";
import type { TenantContext } from "../../lib/gate/model";
import { GateError } from "../../lib/gate/errors";
import { mayHoldNonFinite, nonFinitePath } from "../../lib/gate/normalize/limits";

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

  test("refs: data sources, nested-module count instances (x[0] refers to instance 0 only); var refs ignored", () => {
    expect(by.get("azurerm_key_vault.replaced")!.refs).toEqual({
      tenant_id: ["syn::data.azurerm_client_config.current"],
    });
    expect([...by.get("module.net.module.sub.azurerm_storage_container.c")!.refs.storage_account_name].sort()).toEqual([
      "syn::module.net.module.sub.azurerm_storage_account.sa[0]",
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

describe("structurally broken plans fail closed (exit 2), never pass with fewer resources", () => {
  const base = { format_version: "1.2", terraform_version: "1.9.0" };
  const kv = (change: unknown, extra: Record<string, unknown> = {}) => ({
    address: "azurerm_key_vault.kv",
    type: "azurerm_key_vault",
    name: "kv",
    mode: "managed",
    change,
    ...extra,
  });
  const cases: [string, unknown, RegExp][] = [
    ["resource_changes is an object", { ...base, resource_changes: {} }, /resource_changes is not a list/],
    ["resource_changes is a string", { ...base, resource_changes: "x" }, /resource_changes is not a list/],
    ["a null entry", { ...base, resource_changes: [null] }, /resource_changes\[0\] is not an object/],
    [
      "an entry without address",
      { ...base, resource_changes: [{ type: "azurerm_key_vault", change: { actions: ["create"], after: {} } }] },
      /resource_changes\[0\] has no address/,
    ],
    [
      "an entry without type",
      { ...base, resource_changes: [{ address: "a.b", change: { actions: ["create"], after: {} } }] },
      /resource_changes\[0\] \(a\.b\) has no type/,
    ],
    ["no change object", { ...base, resource_changes: [kv(undefined)] }, /has no change object/],
    [
      "actions is a string",
      { ...base, resource_changes: [kv({ actions: "create", after: {} })] },
      /invalid change\.actions "create"/,
    ],
    ["actions is empty", { ...base, resource_changes: [kv({ actions: [], after: {} })] }, /invalid change\.actions/],
    [
      "create whose after is a list",
      { ...base, resource_changes: [kv({ actions: ["create"], after: [1] })] },
      /is a create whose change\.after is a list/,
    ],
    [
      "update whose after is missing",
      { ...base, resource_changes: [kv({ actions: ["update"] })] },
      /is a update whose change\.after is missing/,
    ],
    ["planned_values null", { ...base, planned_values: null }, /planned_values is not an object/],
    [
      "planned_values resources not a list",
      { ...base, planned_values: { root_module: { resources: {} } } },
      /planned_values\.root_module\.resources is not a list/,
    ],
    [
      "planned_values child module not an object",
      { ...base, planned_values: { root_module: { child_modules: [7] } } },
      /planned_values\.root_module\.child_modules\[0\] is not an object/,
    ],
  ];
  test.each(cases)("%s → GateError exit 2 naming the part", (_name, doc, re) => {
    let err: unknown;
    try {
      normalizePlanDoc(doc, "bad.plan.json", { tenant });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GateError);
    expect((err as GateError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).toMatch(/^bad\.plan\.json: malformed plan: /);
  });

  test("delete-only entries may have after: null; resource_changes: null falls back to planned_values", () => {
    const del = normalizePlanDoc(
      { ...base, resource_changes: [kv({ actions: ["delete"], before: {}, after: null })] },
      "d.json",
      { tenant },
    );
    expect(del.resources).toEqual([]);
    const pv = normalizePlanDoc(
      {
        ...base,
        resource_changes: null,
        planned_values: { root_module: { resources: [{ address: "a_b.c", type: "a_b", name: "c", values: {} }] } },
      },
      "p.json",
      { tenant },
    );
    expect(pv.resources.map((r) => r.address)).toEqual(["a_b.c"]);
  });

  test("an unknown-after-apply mandatory control stays an unknown path (a finding, not a pass)", () => {
    const res = normalizePlanDoc(
      {
        ...base,
        resource_changes: [
          kv({ actions: ["create"], after: { name: "kv" }, after_unknown: { purge_protection_enabled: true } }),
        ],
      },
      "u.json",
      { tenant },
    );
    expect(res.resources[0].unknown).toEqual(["purge_protection_enabled"]);
  });
});

describe("forged plans are refused (exit 2)", () => {
  const base = { format_version: "1.2", terraform_version: "1.11.0" };
  const after = { name: "sa", min_tls_version: "TLS1_2" };
  const rc = (extra: Record<string, unknown> = {}, change: Record<string, unknown> = {}) => ({
    address: "azurerm_storage_account.sa",
    mode: "managed",
    type: "azurerm_storage_account",
    name: "sa",
    change: { actions: ["create"], after, after_unknown: { id: true }, ...change },
    ...extra,
  });
  const pv = (extra: Record<string, unknown> = {}) => ({
    address: "azurerm_storage_account.sa",
    mode: "managed",
    type: "azurerm_storage_account",
    name: "sa",
    values: after,
    ...extra,
  });
  const refuse = (doc: unknown, re: RegExp) => {
    let err: unknown;
    try {
      normalizePlanDoc(doc, "f.json", { tenant });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GateError);
    expect((err as GateError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(re);
  };

  test("a consistent plan passes the cross-check", () => {
    const res = normalizePlanDoc(
      { ...base, resource_changes: [rc()], planned_values: { root_module: { resources: [pv()] } } },
      "f.json",
      { tenant },
    );
    expect(res.resources).toHaveLength(1);
  });

  test.each([
    [
      "relabelled data, created",
      { resource_changes: [rc({ mode: "data", address: "data.azurerm_storage_account.sa" })] },
      /data sources are only read/,
    ],
    [
      "relabelled data, read",
      {
        resource_changes: [
          rc(
            {
              mode: "data",
              address: "data.azurerm_storage_account_network_rules.sa",
              type: "azurerm_storage_account_network_rules",
            },
            { actions: ["read"] },
          ),
        ],
      },
      /not a data source of the azurerm provider/,
    ],
    [
      "mode data on a managed address",
      { resource_changes: [rc({ mode: "data" }, { actions: ["read"] })] },
      /its address is a managed/,
    ],
    [
      "type vs address",
      { resource_changes: [rc({ type: "azurerm_resource_group" })] },
      /its address names "azurerm_storage_account"/,
    ],
    [
      "empty changes beside planned values",
      { resource_changes: [], planned_values: { root_module: { resources: [pv()] } } },
      /resource_changes is empty/,
    ],
    [
      "change missing from planned values",
      { resource_changes: [rc()], planned_values: { root_module: { resources: [] } } },
      /planned_values has no resource/,
    ],
    [
      "known values differ",
      {
        resource_changes: [rc()],
        planned_values: { root_module: { resources: [pv({ values: { ...after, min_tls_version: "TLS1_0" } })] } },
      },
      /disagrees with planned_values\.root_module\.resources\[0\]\.values at min_tls_version/,
    ],
    ["duplicate change", { resource_changes: [rc(), rc()] }, /repeats an address/],
    [
      "non-finite number",
      { resource_changes: [rc({}, { after: { ...after, x: Infinity } })] },
      /resource_changes\[0\]\.change\.after\.x: number out of range/,
    ],
    [
      "values nested too deep",
      { resource_changes: [rc({}, { after: { x: JSON.parse("[".repeat(300) + "]".repeat(300)) } })] },
      /nested more than 200 levels/,
    ],
  ])("%s", (_n, doc, re) => refuse({ ...base, ...doc }, re));

  test("unknown-after-apply paths are not compared (planned_values omits them)", () => {
    const res = normalizePlanDoc(
      {
        ...base,
        resource_changes: [
          rc(
            {},
            {
              after: { ...after, network_rules: [{ ip_rules: null }] },
              after_unknown: { network_rules: [{ ip_rules: true }] },
            },
          ),
        ],
        planned_values: { root_module: { resources: [pv({ values: { ...after, network_rules: [{}] } })] } },
      },
      "f.json",
      { tenant },
    );
    expect(res.resources[0].unknown).toEqual(["network_rules.0.ip_rules"]);
  });

  test("1e400 in the file text is refused with its path; FIFOs and devices are never opened for reading", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-plan-"));
    const f = path.join(dir, "p.json");
    fs.writeFileSync(
      f,
      JSON.stringify({ ...base, resource_changes: [rc({}, { after: { ...after, r: 7 } })] }).replace(
        '"r":7',
        '"r":1e400',
      ),
    );
    expect(() => normalizePlan(f, { tenant })).toThrow(/change\.after\.r: number out of range/);
    expect(() => normalizePlan("/dev/zero", { tenant })).toThrow(/character device; only regular files/);
    const fifo = path.join(dir, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    expect(() => normalizePlan(fifo, { tenant })).toThrow(/FIFO/);
    fs.writeFileSync(f, "{}");
    expect(() => normalizePlan(f, { tenant, maxBytes: 1 })).toThrow(
      /over the 1-byte cap \(ZG_MAX_PLAN_BYTES raises it\)/,
    );
  });
});

describe("the text pre-check for non-finite numbers (limits.ts mayHoldNonFinite)", () => {
  test("a number token with a long exponent or 309+ digits may be non-finite; exponents inside strings are not", () => {
    for (const t of ['{"a":1e400}', '{"a": -1.5E+308}', "[1,2e999]", "1e400", '{"a":[\n 7e0400]}', "9".repeat(309)])
      expect([t.slice(0, 20), mayHoldNonFinite(t)]).toEqual([t.slice(0, 20), true]);
    for (const t of ['{"id":"abc8e123"}', '{"id":"8e123"}', '{"h":"07F7E284"}', '{"a":1e30}', `"${"9".repeat(308)}"`])
      expect([t.slice(0, 20), mayHoldNonFinite(t)]).toEqual([t.slice(0, 20), false]);
    // A string may look like a number token after a space: "may" (the caller walks the parsed document).
    expect(mayHoldNonFinite('{"s":"x 1e400"}')).toBe(true);
    expect(nonFinitePath(JSON.parse('{"s":"x 1e400"}'), '{"s":"x 1e400"}')).toBeUndefined();
    expect(nonFinitePath(JSON.parse('{"a":[1,1e400]}'), '{"a":[1,1e400]}')).toBe("a[1]");
  });

  test("linear on digit runs just short of 309 (no backtracking blow-up)", () => {
    const t = `"${`${"7".repeat(308)}x`.repeat(20_000)}"`; // 6 MB
    const t0 = process.hrtime.bigint();
    expect(mayHoldNonFinite(t)).toBe(false);
    // Linear: ~0.1 s here; retrying the digit-run alternative at every position of a run took 5 s on this text.
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1_500);
  });
});

describe("nothing to gate", () => {
  const empty = path.join(__dirname, "..", "fixtures", "hostile", "readers-plan-degenerate", "data-only", "plan.json");
  test("a plan without a managed resource to create, update, keep or delete is refused unless --allow-empty", async () => {
    await expect(loadInputs({ plans: [empty], tenant })).rejects.toThrow(
      /plan .*data-only\/plan\.json: nothing to gate — .*--allow-empty/,
    );
    const ok = await loadInputs({ plans: [empty], tenant, allowEmpty: true });
    expect(ok.resources.filter((r) => r.mode === "managed")).toEqual([]);
  });
});

describe("real Terraform 1.11 plans pass the cross-check", () => {
  test("create: count, for_each, sensitive, module; x[0] refers to instance 0 only", () => {
    const res = normalizePlan(path.join(PLANS, "terraform_1_11_create.json"), { tenant, stack: "r" });
    expect(res.resources.map((r) => r.address)).toEqual([
      "terraform_data.a[0]",
      "terraform_data.a[1]",
      'terraform_data.b["k1"]',
      'terraform_data.b["k2"]',
      "terraform_data.s",
      "module.m.terraform_data.c",
    ]);
    expect(res.resources[2].refs.input).toEqual(["r::terraform_data.a[0]"]);
  });

  test("change: a destroyed instance is gone, no-op and update are kept", () => {
    const res = normalizePlan(path.join(PLANS, "terraform_1_11_change.json"), { tenant, stack: "r" });
    expect(res.resources.map((r) => `${r.address} ${r.actions.join(",")}`)).toEqual([
      "terraform_data.a[0] no-op",
      'terraform_data.b["k1"] no-op',
      'terraform_data.b["k2"] no-op',
      "terraform_data.s update",
    ]);
  });
});
