/**
 * Offboarding: what is retained (WORM archive, vault, keys and everything they depend on, across stacks),
 * the order of the destroy steps, the stacks a pull request touches, and `zonegate offboard` end to end with
 * the real Terraform CLI on tiny terraform_data stacks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceModel } from "../../lib/gate/model";
import { offboardSteps, retainedKeys } from "../../lib/cli/offboard";
import { touchedStacks } from "../../lib/delivery/touched";
import { tmpDir } from "../gate/helpers";
import { buildTdBundle, stateOf, tdHashes, terraformAvailable, TF_ENV, tinyEstate, writeStack } from "./tf-estate";

import { main as cliMain, type Io } from "../../lib/cli/zonegate";

/** The CLI with the test bundle's source hasher (not the product's policies/) wired in. */
const main = (argv: readonly string[], io?: Io) => cliMain(argv, io, { hashSources: () => tdHashes(buildTdBundle()) });

function res(stack: string, type: string, name: string, refs: Record<string, string[]> = {}): ResourceModel {
  const address = `${type}.${name}`;
  return {
    key: `${stack}::${address}`,
    address,
    type,
    name,
    provider: "azurerm",
    mode: "managed",
    actions: ["create"],
    values: { name },
    unknown: [],
    refs,
    source: { kind: "synth", file: "x" },
    stack,
    tenant: null,
  };
}

describe("offboarding plan", () => {
  const rg = res("t-foundation", "azurerm_resource_group", "rg");
  const ws = res("t-foundation", "azurerm_log_analytics_workspace", "ws", { resource_group_name: [rg.key] });
  const lock = res("t-foundation", "azurerm_management_lock", "lock", { scope: [rg.key] });
  const kv = res("t-security", "azurerm_key_vault", "kv", { resource_group_name: [rg.key] });
  const key = res("t-security", "azurerm_key_vault_key", "cmk", { key_vault_id: [kv.key] });
  const des = res("t-security", "azurerm_disk_encryption_set", "des", { key_vault_key_id: [key.key] });
  const acc = res("t-audit", "azurerm_storage_account", "archive", {
    resource_group_name: [rg.key],
    "customer_managed_key.key_vault_key_id": [key.key],
  });
  const cont = res("t-audit", "azurerm_storage_container", "audit", { storage_account_id: [acc.key] });
  const pol = res("t-audit", "azurerm_storage_container_immutability_policy", "worm", {
    storage_container_resource_manager_id: [cont.key],
  });
  const exp = res("t-audit", "azurerm_log_analytics_data_export_rule", "exp", {
    workspace_resource_id: [ws.key],
    destination_resource_id: [acc.key],
  });
  const edge = res("t-edge", "azurerm_api_management", "apim", { resource_group_name: [rg.key] });
  const all = [rg, ws, lock, kv, key, des, acc, cont, pol, exp, edge];

  test("retained: archive, policy, vault, keys and what they depend on (cross-stack); not the rest", () => {
    const keep = retainedKeys(all);
    expect([...keep].sort()).toEqual([acc.key, cont.key, pol.key, kv.key, key.key, rg.key].sort());
  });

  test("steps: locks first, then dependents-first destroys; targeted where something is retained", () => {
    const order = ["t-edge", "t-audit", "t-security", "t-foundation"].map((n) => ({ name: n, dir: `/x/${n}` }));
    const { steps, retained } = offboardSteps(all, order);
    expect(retained.map((r) => r.address)).toContain("azurerm_storage_container_immutability_policy.worm");
    expect(steps[0]).toMatchObject({ title: expect.stringMatching(/locks/) });
    expect(steps[0].targets).toEqual([
      { name: "t-foundation", dir: "/x/t-foundation", planArgs: ["-target=azurerm_management_lock.lock"] },
    ]);
    expect(steps[1].targets).toEqual([
      { name: "t-edge", dir: "/x/t-edge" }, // nothing retained: the whole stack
      { name: "t-audit", dir: "/x/t-audit", planArgs: ["-target=azurerm_log_analytics_data_export_rule.exp"] },
      { name: "t-security", dir: "/x/t-security", planArgs: ["-target=azurerm_disk_encryption_set.des"] },
      { name: "t-foundation", dir: "/x/t-foundation", planArgs: ["-target=azurerm_log_analytics_workspace.ws"] },
    ]);
  });
});

describe("touched stacks", () => {
  test("changed and added stacks; removed ones apart", () => {
    const root = tmpDir("zg-touched-");
    const base = tinyEstate([{ name: "a" }, { name: "b" }, { name: "gone" }], path.join(root, "base"));
    const head = tinyEstate([{ name: "a" }, { name: "b", input: "changed" }, { name: "new" }], path.join(root, "head"));
    expect(touchedStacks(base, head)).toEqual({ changed: ["b"], added: ["new"], removed: ["gone"] });
    expect(touchedStacks(path.join(root, "nope"), head).added).toEqual(["a", "b", "new"]);
  });
});

const maybe = terraformAvailable() ? describe : describe.skip;

maybe("zonegate offboard (real terraform)", () => {
  jest.setTimeout(180_000);
  const cwd = process.cwd();
  const saved: Record<string, string | undefined> = {};
  let work: string;
  beforeAll(() => {
    for (const k of ["ZONEGATE_POLICY_DIST", "TF_CLI_CONFIG_FILE"]) saved[k] = process.env[k];
    process.env.ZONEGATE_POLICY_DIST = path.join(buildTdBundle(), "dist");
    process.env.TF_CLI_CONFIG_FILE = TF_ENV.TF_CLI_CONFIG_FILE;
  });
  beforeEach(() => {
    work = tmpDir("zg-offboard-");
    process.chdir(work);
  });
  afterEach(() => process.chdir(cwd));
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const io = () => {
    const lines: string[] = [];
    return {
      io: { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) },
      text: () => lines.join("\n"),
    };
  };

  test("needs a signed-off declaration; destroys the tenant's stacks dependents first through gated saved plans", async () => {
    const out = tinyEstate([{ name: "acme-a" }, { name: "acme-b", deps: ["acme-a"] }], work);
    expect(await main(["deploy", "acme-b", "--skip-synth", "--synth-dir", out], io().io)).toBe(0);
    expect(stateOf(out, "acme-b")?.outputs?.v.value).toBe("acme-a-value");

    const none = io();
    expect(await main(["offboard", "acme", "--skip-synth", "--synth-dir", out], none.io)).toBe(2);
    expect(none.text()).toMatch(/no declaration .*offboarding\/acme\.yaml/);

    fs.mkdirSync(path.join(work, "offboarding"));
    fs.writeFileSync(
      path.join(work, "offboarding", "acme.yaml"),
      'tenant: acme\nreason: "contract ended, CHG-1234"\nrequestedBy: alice\napprovedBy: bob\napprovedOn: 2026-01-05\nretainUntil: 2099-01-05\n',
    );
    const early = io();
    expect(await main(["offboard", "acme", "--finalize", "--skip-synth", "--synth-dir", out], early.io)).toBe(1);
    expect(early.text()).toMatch(/retained until 2099-01-05/);

    const c = io();
    expect(await main(["offboard", "acme", "--skip-synth", "--synth-dir", out], c.io)).toBe(0);
    expect(c.text()).toMatch(/offboard: destroy everything not retained \(dependents first\): acme-b → acme-a/);
    expect(c.text()).toMatch(/destroy: 2 stack\(s\) destroyed: acme-b, acme-a/);
    for (const s of ["acme-a", "acme-b"]) expect(stateOf(out, s)?.resources ?? []).toEqual([]);
    const record = JSON.parse(fs.readFileSync(path.join(work, "reports", "offboarding", "acme.json"), "utf8"));
    expect(record.steps[0].planned.map((p: { sha256: string }) => p.sha256)).toHaveLength(2);
    expect(record.declaration.approvedBy).toBe("bob");
  });

  test("offboarding one tenant leaves other tenants' stacks untouched", async () => {
    const out = tinyEstate([{ name: "acme-a" }], work);
    writeStack(out, { name: "globex-a" });
    const doc = JSON.parse(fs.readFileSync(path.join(out, "stacks", "globex-a", "cdk.tf.json"), "utf8"));
    doc["//"].zonegate.tenant = { ...doc["//"].zonegate.tenant, id: "globex" };
    fs.writeFileSync(path.join(out, "stacks", "globex-a", "cdk.tf.json"), JSON.stringify(doc));
    expect(await main(["deploy", "acme-a", "globex-a", "--skip-synth", "--synth-dir", out], io().io)).toBe(0);
    fs.mkdirSync(path.join(work, "offboarding"));
    fs.writeFileSync(
      path.join(work, "offboarding", "acme.yaml"),
      'tenant: acme\nreason: "contract ended, CHG-1234"\nrequestedBy: alice\napprovedBy: bob\napprovedOn: 2026-01-05\nretainUntil: 2099-01-05\n',
    );
    expect(await main(["offboard", "acme", "--skip-synth", "--synth-dir", out], io().io)).toBe(0);
    expect(stateOf(out, "acme-a")?.resources ?? []).toEqual([]);
    expect(stateOf(out, "globex-a")?.outputs?.v.value).toBe("globex-a-value");
  });
});
