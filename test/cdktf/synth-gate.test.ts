/**
 * CDKTF-native gating: `cdktf synth` of an app whose tenant was made non-compliant through an escape hatch
 * fails with the finding, the construct path and the tenant file's line; the unmodified app and the example
 * estate (main.ts, what `cdktf synth|diff|deploy` run) still synthesize.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { provenance } from "../../lib/cdktf/synth-gate";
import type { Tenant } from "../../lib/tenant/types";
import { parseYamlWithPositions } from "../../lib/tenant/yaml";
import { REPO, realBundleExists, tmpDir } from "../gate/helpers";

const maybe = realBundleExists() ? describe : describe.skip;
const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0" };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = ENV) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: REPO, env, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, text: `${r.stdout}\n${r.stderr}`, seconds: (Date.now() - t0) / 1000 };
}

describe("provenance: the tenant-file line behind a finding", () => {
  const text =
    "id: acme\ntier: premium\nframeworks: [pci-dss-4.0]\nregions:\n  - name: westeurope\n    addressSpace: 10.1.0.0/16\naudit:\n  interactiveRetentionDays: 90\n";
  const tf = { file: "tenants/acme.yaml", positions: parseYamlWithPositions(text).positions };
  const t = { id: "acme", regions: [{ name: "westeurope", addressSpace: "10.1.0.0/16" }] } as unknown as Tenant;
  test.each([
    ["azurerm_log_analytics_workspace", "ZG-LOG-001", "tenants/acme.yaml:8:29 (audit.interactiveRetentionDays)"],
    ["azurerm_storage_account", "ZG-RES-001", "tenants/acme.yaml:5:11 (regions[0].name)"],
    ["azurerm_subnet", "ZG-NET-001", "tenants/acme.yaml:6:19 (regions[0].addressSpace)"],
    // A value the file does not set comes from a default derived from the frameworks.
    ["azurerm_key_vault", "ZG-KV-001", "tenants/acme.yaml:3:13 (frameworks)"],
  ])("%s / %s → %s", (type, rule, want) => {
    expect(provenance({ type, rule }, t, tf, "westeurope")).toBe(want);
  });
  test("platform stacks have no tenant file", () => {
    expect(provenance({ type: "azurerm_kubernetes_cluster", rule: "ZG-AKS-001" }, undefined, undefined)).toBe(
      "platform stack (no tenant file)",
    );
  });
});

maybe("cdktf synth runs the gate (real bundle, cdktf CLI)", () => {
  jest.setTimeout(600_000);

  test("an escape hatch that breaks a control fails `cdktf synth` with rule, construct path and tenant file:line", () => {
    const out = tmpDir("zg-cdktf-eh-");
    const r = run("npx", ["cdktf", "synth", "--app", "npx tsx test/cdktf/escape-hatch-app.ts", "--output", out]);
    expect(r.code).not.toBe(0);
    expect(r.text).toMatch(/ZG-LOG-001 \(high\) Log Analytics interactive retention is below 90 days/);
    expect(r.text).toMatch(/construct lakeshore-cu-(dev|prod)-eastus2-foundation\/foundation\/workspace\/workspace/);
    expect(r.text).toMatch(/tenant value: tenants\/lakeshore-cu\.yaml:27:\d+ \(audit\.interactiveRetentionDays\)/);
    console.log(`cdktf synth with the escape hatch: exit ${r.code} in ${r.seconds.toFixed(1)} s`);
  });

  test("the same app without the escape hatch synthesizes", () => {
    const out = tmpDir("zg-cdktf-ok-");
    const r = run("npx", ["tsx", "test/cdktf/escape-hatch-app.ts"], {
      ...ENV,
      ZG_ESCAPE_HATCH: "off",
      CDKTF_OUTDIR: out,
    });
    expect(r.text).not.toMatch(/ZG-[A-Z]+-\d{3}/);
    expect(r.code).toBe(0);
  });

  test("the example estate (main.ts, what cdktf synth/diff/deploy run) synthesizes with the gate", () => {
    const out = tmpDir("zg-cdktf-main-");
    const r = run("npx", ["tsx", "main.ts"], { ...ENV, CDKTF_OUTDIR: out });
    expect(r.text).not.toMatch(/ZG-[A-Z]+-\d{3}/);
    expect(r.code).toBe(0);
    expect(path.isAbsolute(out)).toBe(true);
    console.log(`main.ts synth of the example estate with the gate: ${r.seconds.toFixed(1)} s`);
  });
});
