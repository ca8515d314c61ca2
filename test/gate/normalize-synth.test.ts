import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeSynth } from "../../lib/gate/normalize";
import { loadInputs } from "../../lib/gate/normalize";
import { synthTinyApp } from "./synth-app";
import { tmpDir } from "./helpers";

describe("synth normalizer", () => {
  const out = tmpDir("zg-synth-");
  beforeAll(() => synthTinyApp(out));
  const byKey = () => new Map(normalizeSynth(out, { root: out }).resources.map((r) => [r.key, r]));

  test("reads every stack, resources and data sources, construct paths, complete", () => {
    const res = normalizeSynth(out, { root: out });
    expect(res.complete).toBe(true);
    expect(res.stacks.map((s) => s.name).sort()).toEqual([
      "acme-prod-westeurope-foundation",
      "acme-prod-westeurope-security",
      "platform-prod-westeurope-compute",
    ]);
    const kv = byKey().get("acme-prod-westeurope-foundation::azurerm_key_vault.kv")!;
    expect(kv).toMatchObject({
      type: "azurerm_key_vault",
      name: "kv",
      provider: "azurerm",
      mode: "managed",
      actions: ["create"],
      stack: "acme-prod-westeurope-foundation",
      source: {
        kind: "synth",
        file: "stacks/acme-prod-westeurope-foundation/cdk.tf.json",
        constructPath: "acme-prod-westeurope-foundation/kv",
      },
      tenant: { id: "acme", tier: "premium", residency: "eu", compliance: ["pci-dss-4.0", "gdpr"], env: "prod" },
      context: { layer: "foundation", env: "prod", region: "westeurope" },
    });
    expect(kv.values).toMatchObject({ purge_protection_enabled: true, network_acls: { default_action: "Deny" } });
    expect(JSON.stringify(kv.values)).not.toContain("//");
    const text = fs
      .readFileSync(path.join(out, "stacks/acme-prod-westeurope-foundation/cdk.tf.json"), "utf8")
      .split("\n");
    expect(text[kv.source.line! - 1]).toContain('"kv": {');
    const data = [...byKey().values()].find((r) => r.mode === "data")!;
    expect(data.address).toMatch(/^data\.azurerm_client_config\./);
    expect(data.actions).toEqual(["read"]);
    // the remote state data source is plumbing, not a resource
    expect([...byKey().keys()].some((k) => k.includes("terraform_remote_state"))).toBe(false);
  });

  test("expressions are unknown with refs, intra- and cross-stack", () => {
    const kv = byKey().get("acme-prod-westeurope-foundation::azurerm_key_vault.kv")!;
    expect(kv.values.tenant_id).toBeNull();
    expect(kv.unknown).toContain("tenant_id");
    expect(kv.refs.tenant_id[0]).toMatch(/^acme-prod-westeurope-foundation::data\.azurerm_client_config\./);
    const key = byKey().get("acme-prod-westeurope-security::azurerm_key_vault_key.key")!;
    expect(key.unknown).toEqual(expect.arrayContaining(["key_vault_id", "expiration_date"]));
    expect(key.refs.key_vault_id).toEqual(["acme-prod-westeurope-foundation::azurerm_key_vault.kv"]);
    expect(key.refs.expiration_date).toBeUndefined();
    expect(key.values.rotation_policy).toEqual({ automatic: { time_before_expiry: "P30D" } });
  });

  test("platform stacks: tenant null, tenants list", () => {
    const vnet = [...byKey().values()].find((r) => r.type === "azurerm_virtual_network")!;
    expect(vnet.tenant).toBeNull();
    expect(vnet.context).toMatchObject({ platform: true, tenants: ["acme"], env: "prod" });
  });

  test("--stack filter makes the input partial but still resolves cross-stack refs", async () => {
    const res = await loadInputs({ synth: out, stackGlob: "acme-*-security", root: out });
    expect(res.complete).toBe(false);
    expect(res.stacks.map((s) => s.name)).toEqual(["acme-prod-westeurope-security"]);
    const key = res.resources.find((r) => r.type === "azurerm_key_vault_key")!;
    expect(key.refs.key_vault_id).toEqual(["acme-prod-westeurope-foundation::azurerm_key_vault.kv"]);
    const whole = await loadInputs({ synth: out, root: out });
    expect(whole.complete).toBe(true);
  });

  test("a single stack directory is partial; missing dir is a clear error", () => {
    const one = normalizeSynth(path.join(out, "stacks", "acme-prod-westeurope-security"), { root: out });
    expect(one.complete).toBe(false);
    expect(() => normalizeSynth(path.join(out, "nope"))).toThrow(/synth directory not found/);
  });
});
