import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeHcl, normalizePlan } from "../../lib/gate/normalize";
import type { TenantContext } from "../../lib/gate/model";
import { GateError } from "../../lib/gate/errors";
import { UNKNOWN, evaluate, isUnknown, parseValueString, type Scope } from "../../lib/gate/normalize/hcl-expr";
import { tmpDir } from "./helpers";

const NO_SCOPE: Scope = { resolve: (_r, steps) => ({ value: UNKNOWN, used: steps.length }) };

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

// ------------------------------------------------------------------------------------------------ fidelity

function tfDir(files: Record<string, string>): string {
  const dir = tmpDir("zg-hcl-");
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

async function load(files: Record<string, string>) {
  const dir = tfDir(files);
  const res = await normalizeHcl(dir, { tenant, stack: "s" });
  return { res, by: new Map(res.resources.map((r) => [r.address, r])) };
}

async function refusal(files: Record<string, string>): Promise<string> {
  try {
    await normalizeHcl(tfDir(files), { tenant, stack: "s" });
  } catch (e) {
    expect(e).toBeInstanceOf(GateError);
    expect((e as GateError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("expression evaluator", () => {
  const ev = (s: string) => evaluate(parseValueString(s), { scope: NO_SCOPE, refs: new Set(), budget: { n: 1e6 } });
  test.each([
    ['${"a-${1 + 2}"}', "a-3"],
    ['${lower("TLS1_2")}', "tls1_2"],
    ['${format("%s-%03d", "kv", 7)}', "kv-007"],
    ['${join(",", concat(["a"], ["b", "c"]))}', "a,b,c"],
    ["${merge({ a = 1 }, { b = 2 })}", { a: 1, b: 2 }],
    ['${true && !false ? "y" : "n"}', "y"],
    ["${[for x in [1, 2, 3] : x * 2 if x > 1]}", [4, 6]],
    ["${{ for k, v in { a = 1, b = 2 } : upper(k) => v }}", { A: 1, B: 2 }],
    ["${length({ a = 1 })}", 1],
    ['${jsonencode({ b = [1, "x"], a = null })}', '{"a":null,"b":[1,"x"]}'],
    ["${[1, 2][1]}", 2],
    ['${{ a = { b = "c" } }.a.b}', "c"],
    ['${["x", "y"][*]}', ["x", "y"]],
    ["$${literal} %%{x}", "${literal} %{x}"],
    ['${cidrsubnet("10.0.0.0/8", 8, 1)}', "10.1.0.0/16"],
    ['${cidrsubnet("10.20.0.0/16", 8, 255)}', "10.20.255.0/24"],
    ['${cidrhost("10.1.2.0/24", 5)}', "10.1.2.5"],
    ['${cidrhost("10.1.2.0/24", -2)}', "10.1.2.254"],
    ['${cidrsubnet("10.0.0.0/30", 8, 1)}', UNKNOWN],
    ['${cidrsubnet("fd00::/8", 8, 1)}', UNKNOWN],
    ["%{if true}x%{endif}", UNKNOWN],
    ["${timestamp()}", UNKNOWN],
    ["${1 / 0}", UNKNOWN],
    ["${var.x}", UNKNOWN],
    ['${provider::azurerm::normalise_resource_id("x")}', UNKNOWN],
    ["${" + "(".repeat(500) + "1" + ")".repeat(500) + "}", UNKNOWN],
    ["${range(100000000)}", UNKNOWN],
  ])("%s", (src, want) => {
    const v = ev(src);
    if (want === UNKNOWN) expect(isUnknown(v)).toBe(true);
    else expect(v).toEqual(want);
  });
});

describe("HCL fidelity", () => {
  const TAGS = 'locals {\n  env = "prod"\n}\n';

  test("count and for_each expand with indices and keys; count = 0 is absent", async () => {
    const { by, res } = await load({
      "main.tf":
        TAGS +
        'resource "azurerm_storage_account" "c" {\n  count = 2\n  name = "sa${count.index}"\n}\n' +
        'resource "azurerm_storage_account" "e" {\n  for_each = { a = "TLS1_2", b = "TLS1_0" }\n  min_tls_version = each.value\n  name = each.key\n}\n' +
        'resource "azurerm_storage_account" "z" {\n  count = 0\n  min_tls_version = "TLS1_0"\n}\n',
    });
    expect(res.resources.map((r) => r.address)).toEqual([
      "azurerm_storage_account.c[0]",
      "azurerm_storage_account.c[1]",
      'azurerm_storage_account.e["a"]',
      'azurerm_storage_account.e["b"]',
    ]);
    expect(by.get("azurerm_storage_account.c[1]")!.values.name).toBe("sa1");
    expect(by.get('azurerm_storage_account.e["b"]')!.values.min_tls_version).toBe("TLS1_0");
    expect(by.get('azurerm_storage_account.e["b"]')!.key).toBe('s::azurerm_storage_account.e["b"]');
  });

  test("unknown count: one representative instance, `count` unknown, outgoing refs dropped, a warning", async () => {
    const { by, res } = await load({
      "main.tf":
        'variable "n" {}\n' +
        'resource "azurerm_storage_account" "sa" {\n  name = "sa"\n}\n' +
        'resource "azurerm_monitor_diagnostic_setting" "d" {\n  count = var.n\n  target_resource_id = azurerm_storage_account.sa.id\n  name = "d${count.index}"\n}\n',
    });
    const d = by.get("azurerm_monitor_diagnostic_setting.d[*]")!;
    expect(d.unknown).toEqual(expect.arrayContaining(["count", "name", "target_resource_id"]));
    expect(d.refs).toEqual({});
    expect(res.warnings[0]).toMatch(
      /main\.tf:\d+: resource "azurerm_monitor_diagnostic_setting" "d": count is unknown/,
    );
  });

  test("index-aware references: x[0] refers to instance 0 only; splat and whole references to all", async () => {
    const { by } = await load({
      "main.tf":
        'resource "azurerm_storage_account" "sa" {\n  count = 2\n  name = "sa${count.index}"\n}\n' +
        'resource "azurerm_monitor_diagnostic_setting" "one" {\n  target_resource_id = azurerm_storage_account.sa[0].id\n}\n' +
        'resource "azurerm_monitor_diagnostic_setting" "each" {\n  count = 2\n  target_resource_id = azurerm_storage_account.sa[count.index].id\n}\n' +
        'resource "azurerm_monitor_diagnostic_setting" "all" {\n  target_resource_id = join(",", azurerm_storage_account.sa[*].id)\n}\n',
    });
    expect(by.get("azurerm_monitor_diagnostic_setting.one")!.refs.target_resource_id).toEqual([
      "s::azurerm_storage_account.sa[0]",
    ]);
    expect(by.get("azurerm_monitor_diagnostic_setting.each[1]")!.refs.target_resource_id).toEqual([
      "s::azurerm_storage_account.sa[1]",
    ]);
    expect([...by.get("azurerm_monitor_diagnostic_setting.all")!.refs.target_resource_id].sort()).toEqual([
      "s::azurerm_storage_account.sa[0]",
      "s::azurerm_storage_account.sa[1]",
    ]);
  });

  test("local modules: addresses, input variables, outputs, location from the resource group", async () => {
    const { by } = await load({
      "main.tf":
        'resource "azurerm_resource_group" "rg" {\n  name = "rg"\n  location = "westeurope"\n}\n' +
        'module "net" {\n  source = "./modules/net"\n  for_each = toset(["a", "b"])\n  location = azurerm_resource_group.rg.location\n  name = each.key\n}\n' +
        'resource "azurerm_private_endpoint" "pe" {\n  subnet_id = module.net["b"].subnet_id\n  location = azurerm_resource_group.rg.location\n}\n',
      "modules/net/main.tf":
        'variable "location" {}\nvariable "name" {}\nvariable "size" {\n  default = 24\n}\n' +
        'resource "azurerm_subnet" "s" {\n  name = "snet-${var.name}"\n  location = var.location\n  prefix = "/${var.size}"\n}\n' +
        'output "subnet_id" {\n  value = azurerm_subnet.s.id\n}\n',
    });
    const s = by.get('module.net["a"].azurerm_subnet.s')!;
    expect(s.values).toEqual({ name: "snet-a", location: "westeurope", prefix: "/24" });
    expect(s.source.file).toMatch(/modules\/net\/main\.tf$/);
    expect(s.source.line).toBe(6);
    const pe = by.get("azurerm_private_endpoint.pe")!;
    expect(pe.values.location).toBe("westeurope");
    expect(pe.refs.subnet_id).toEqual(['s::module.net["b"].azurerm_subnet.s']);
    expect(pe.refs.location).toEqual(["s::azurerm_resource_group.rg"]);
  });

  test("dynamic blocks: expanded when known (after static blocks), unknown otherwise", async () => {
    const { by } = await load({
      "main.tf":
        'variable "rules" {}\n' +
        'resource "azurerm_network_security_group" "k" {\n  security_rule {\n    name = "static"\n  }\n  dynamic "security_rule" {\n    for_each = { b = 2, a = 1 }\n    content {\n      name = security_rule.key\n      priority = security_rule.value\n    }\n  }\n}\n' +
        'resource "azurerm_network_security_group" "u" {\n  security_rule {\n    name = "static"\n  }\n  dynamic "security_rule" {\n    for_each = var.rules\n    content {\n      name = security_rule.value\n    }\n  }\n}\n',
    });
    expect(by.get("azurerm_network_security_group.k")!.values.security_rule).toEqual([
      { name: "static" },
      { name: "a", priority: 1 },
      { name: "b", priority: 2 },
    ]);
    const u = by.get("azurerm_network_security_group.u")!;
    expect(u.values.security_rule).toBeNull();
    expect(u.unknown).toContain("security_rule");
  });

  test("override files merge attribute by attribute; a nested block type replaces all its blocks", async () => {
    const { by } = await load({
      "main.tf":
        'resource "azurerm_storage_account" "sa" {\n  name = "sa"\n  min_tls_version = "TLS1_2"\n  network_rules {\n    default_action = "Deny"\n    bypass = ["AzureServices"]\n  }\n}\n',
      "z_override.tf":
        'resource "azurerm_storage_account" "sa" {\n  network_rules {\n    default_action = "Allow"\n  }\n}\n',
      "override.tf": 'resource "azurerm_storage_account" "sa" {\n  min_tls_version = "TLS1_0"\n}\n',
    });
    expect(by.get("azurerm_storage_account.sa")!.values).toEqual({
      name: "sa",
      min_tls_version: "TLS1_0",
      network_rules: [{ default_action: "Allow" }],
    });
  });

  test("variables: tfvars over auto.tfvars order over defaults; no value = unknown", async () => {
    const { by } = await load({
      "main.tf":
        'variable "a" {\n  default = "d"\n}\nvariable "b" {\n  default = "d"\n}\nvariable "c" {}\n' +
        'resource "azurerm_storage_account" "sa" {\n  a = var.a\n  b = var.b\n  c = var.c\n}\n',
      "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\n',
      "x.auto.tfvars.json": '{"b": "auto"}',
    });
    const sa = by.get("azurerm_storage_account.sa")!;
    expect(sa.values).toEqual({ a: "tfvars", b: "auto", c: null });
    expect(sa.unknown).toEqual(["c"]);
  });

  test("JSON array form of resource and JSON bodies", async () => {
    const { by } = await load({
      "main.tf.json": JSON.stringify({
        resource: [
          { azurerm_storage_account: { a: { min_tls_version: "TLS1_0" } } },
          { azurerm_storage_account: [{ b: [{ min_tls_version: '${upper("tls1_2")}' }] }] },
        ],
      }),
    });
    expect(by.get("azurerm_storage_account.a")!.values.min_tls_version).toBe("TLS1_0");
    expect(by.get("azurerm_storage_account.b")!.values.min_tls_version).toBe("TLS1_2");
  });

  test("refusals name file:line", async () => {
    expect(
      await refusal({
        "a.tf": 'resource "azurerm_storage_account" "x" {\n}\n',
        "b.tf": '\n\nresource "azurerm_storage_account" "x" {\n}\n',
      }),
    ).toMatch(/b\.tf:3: duplicate resource "azurerm_storage_account" "x": already declared at .*a\.tf:1/);
    expect(await refusal({ "main.tf": 'module "m" {\n  source = "hashicorp/x/azurerm"\n}\n' })).toMatch(
      /main\.tf:1: module "m" has source "hashicorp\/x\/azurerm", which cannot be read/,
    );
    expect(await refusal({ "main.tf": 'resource "a_b" "c" {\n  x = 1e999\n}\n' })).toMatch(
      /main\.tf:2:7: number 1e999 is out of range/,
    );
  });

  test("modules installed by terraform init are read from .terraform/modules", async () => {
    const { by } = await load({
      "main.tf": 'module "st" {\n  source = "registry.example/st/azurerm"\n  tls = "TLS1_0"\n}\n',
      ".terraform/modules/modules.json": JSON.stringify({
        Modules: [
          { Key: "", Source: "", Dir: "." },
          { Key: "st", Source: "registry.example/st/azurerm", Dir: ".terraform/modules/st" },
        ],
      }),
      ".terraform/modules/st/main.tf":
        'variable "tls" {}\nresource "azurerm_storage_account" "sa" {\n  min_tls_version = var.tls\n}\n',
    });
    expect(by.get("module.st.azurerm_storage_account.sa")!.values.min_tls_version).toBe("TLS1_0");
  });

  test("self-referencing count / module cycles are unknown, never a crash; count = 0 modules are empty", async () => {
    const { by } = await load({
      "main.tf":
        'resource "azurerm_a" "b" {\n  count = length(azurerm_a.b)\n}\n' +
        'module "m" {\n  source = "./m"\n  count = length(module.m[0].o)\n}\n' +
        'module "z" {\n  source = "./m"\n  count = 0\n}\n' +
        'resource "azurerm_a" "c" {\n  n = length(module.z)\n  o = module.z[0].o\n}\n',
      "m/main.tf": 'output "o" {\n  value = [1]\n}\nresource "azurerm_q" "r" {\n  a = 1\n}\n',
    });
    expect(by.get("azurerm_a.b[*]")!.unknown).toContain("count");
    expect(by.get("module.m[*].azurerm_q.r")!.unknown).toContain("count");
    expect(by.get("azurerm_a.c")!.values).toEqual({ n: 0, o: null });
    expect(by.get("azurerm_a.c")!.unknown).toEqual(["o"]);
  });

  test("5k resources in one file: linear, not quadratic", async () => {
    const block = (i: number) =>
      `resource "azurerm_storage_account" "sa${i}" {\n  name = "sa${i}"\n  location = azurerm_resource_group.rg.location\n}\n`;
    const small = tfDir({
      "main.tf":
        'resource "azurerm_resource_group" "rg" {\n  location = "westeurope"\n}\n' +
        Array.from({ length: 500 }, (_, i) => block(i)).join(""),
    });
    const big = tfDir({
      "main.tf":
        'resource "azurerm_resource_group" "rg" {\n  location = "westeurope"\n}\n' +
        Array.from({ length: 5000 }, (_, i) => block(i)).join(""),
    });
    const a = await normalizeHcl(small, { tenant });
    const b = await normalizeHcl(big, { tenant });
    expect(b.resources).toHaveLength(5001);
    expect(b.resources.find((r) => r.name === "sa4999")!.source.line).toBe(4 + 4 * 4999);
    // Everything but the converter: 10× the resources may cost at most ~30× (quadratic would be 100×).
    // (The small side is floored at 100 ms so a busy machine's jitter on a tiny figure cannot fail the test.)
    const own = (t: { parseMs: number; totalMs: number }) => t.totalMs - t.parseMs;
    expect(own(b.timings) / Math.max(100, own(a.timings))).toBeLessThan(30);
  });
});

describe("the HCL converter dying never ends in exit 0", () => {
  test("a parse that never settles (the Go runtime exited, e.g. out of memory) → exit 2 with the file named", () => {
    const dir = tfDir({ "main.tf": 'resource "a_b" "c" {}\n' });
    const script = `
      const Module = require("node:module");
      const orig = Module._load;
      Module._load = function (req, ...rest) {
        if (req === "@cdktf/hcl2json") return { parse: () => new Promise(() => {}) };
        return orig.call(this, req, ...rest);
      };
      require(${JSON.stringify(path.resolve(__dirname, "../../lib/gate/normalize/hcl.ts"))})
        .normalizeHcl(${JSON.stringify(dir)}, { tenant: null })
        .then(() => console.log("resolved"));
    `;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/the HCL converter \(@cdktf\/hcl2json\) stopped while parsing .*main\.tf/);
  });
});

describe("the HCL reader agrees with Terraform's own plan of the same configuration (Terraform 1.11.4)", () => {
  test.each([
    ["terraform-data", "terraform_1_11_create.json"],
    ["terraform-data-features", "terraform_1_11_features.json"],
    ["terraform-data-functions", "terraform_1_11_functions.json"],
    ["terraform-data-modules", "terraform_1_11_modules.json"],
  ])("%s: same addresses, known values and unknown paths", async (dir, planFile) => {
    const hcl = await normalizeHcl(path.join(HCL, dir), { tenant, stack: "r" });
    const plan = normalizePlan(path.join(__dirname, "..", "fixtures", "plans", planFile), { tenant, stack: "r" });
    expect(hcl.resources.map((r) => r.address).sort()).toEqual(plan.resources.map((r) => r.address).sort());
    const byAddr = new Map(plan.resources.map((r) => [r.address, r]));
    for (const h of hcl.resources) {
      const p = byAddr.get(h.address)!;
      for (const [k, v] of Object.entries(h.values)) {
        if (v !== null) expect([h.address, k, p.values[k]]).toEqual([h.address, k, v]);
      }
      for (const u of h.unknown) expect(p.unknown).toContain(u);
      // References agree too, through module variables and outputs. Paths differ by design inside object
      // values: the HCL reader records the leaf (`input.splat`), the plan the attribute.
      const keys = (r: { refs: Readonly<Record<string, readonly string[]>> }) =>
        [...new Set(Object.values(r.refs).flat())].sort();
      expect([h.address, keys(h)]).toEqual([h.address, keys(p)]);
    }
  });
});
