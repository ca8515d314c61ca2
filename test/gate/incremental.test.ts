/**
 * Incremental gate (lib/gate/incremental.ts) over the example estate: the same findings, verdict and reports
 * as a full gate; only changed groups are evaluated again; a code change, a new bundle or a damaged entry
 * makes it evaluate again — never serve an old result.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthIncremental } from "../../lib/synth-cache";
import { codeHash } from "../../lib/synth-cache/keys";
import * as estate from "../../stacks/app";

/** The code hash of this checkout (what the CLI passes when it gates without synthesizing first). */
const CODE = codeHash({ root: path.resolve(__dirname, "../..") }).hash;
import { runGate } from "../../lib/gate/gate";
import { runGateIncremental, type IncrementalGateRun } from "../../lib/gate/incremental";
import { render, FORMATS } from "../../lib/report";
import type { GateRun } from "../../lib/gate/gate";
import { signDist } from "./helpers";
import { readStackFile, stackFacts, type StackFacts } from "../../lib/gate/normalize/synth";
import { settledDigest } from "../../lib/fs/digest";
import { trustedSince } from "../../lib/fs/stat-sig";

const ROOT = path.resolve(__dirname, "../..");
jest.setTimeout(180_000);

function reports(run: GateRun): Record<string, string> {
  return Object.fromEntries(FORMATS.map((f) => [f, render(run.verdict, f, run.inputs.resources)]));
}

function expectSame(a: GateRun, b: GateRun): void {
  expect(b.verdict).toEqual(a.verdict);
  expect(reports(b)).toEqual(reports(a));
}

const sorted = (xs: readonly string[]) => [...xs].sort();

/** Replace in a stack file, asserting the text was there. */
function inject(dir: string, stack: string, from: RegExp, to: string): void {
  const f = path.join(dir, "stacks", stack, "cdk.tf.json");
  const text = fs.readFileSync(f, "utf8");
  expect(text).toMatch(from);
  fs.writeFileSync(f, text.replace(from, to));
}

describe("incremental gate", () => {
  let tmp: string;
  let tenantsDir: string;
  let out: string;
  let bad: string;
  let synthCache: string;
  let gateCache: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zg-gate-cache-"));
    tenantsDir = path.join(tmp, "tenants");
    out = path.join(tmp, "out");
    bad = path.join(tmp, "bad");
    synthCache = path.join(tmp, "synth-cache");
    gateCache = path.join(tmp, "gate-cache");
    fs.cpSync(path.join(ROOT, "tenants"), tenantsDir, { recursive: true });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const synth = () =>
    synthIncremental({ tenantsDir, outdir: out, cacheDir: synthCache, root: ROOT, estate: () => estate });
  const gate = (dir: string, extra: Partial<Parameters<typeof runGateIncremental>[0]> = {}) =>
    runGateIncremental({ synth: dir, root: ROOT, cacheDir: gateCache, codeHash: CODE, ...extra });

  test("(a) same findings, verdict and reports as the full gate — cold and warm — on an estate with violations", async () => {
    await synth();
    fs.cpSync(out, bad, { recursive: true });
    // Violations in several units: a tenant's vaults, a standard tenant's storage, the shared platform
    // cluster (grouped with its tenants) and an estate-scope rule (a VNet whose flow log is gone).
    for (const env of ["dev", "prod"])
      inject(
        bad,
        `alpenpay-${env}-switzerlandnorth-security`,
        /"purge_protection_enabled": true/g,
        '"purge_protection_enabled": false',
      );
    inject(bad, "lakeshore-cu-prod-eastus2-audit", /"min_tls_version": "TLS1_2"/g, '"min_tls_version": "TLS1_0"');
    inject(bad, "platform-prod-eastus2-compute", /"local_account_disabled": true/g, '"local_account_disabled": false');
    inject(
      bad,
      "northwind-bank-prod-westeurope-audit",
      /"azurerm_network_watcher_flow_log": \{/,
      '"azurerm_network_watcher_flow_log_x": {',
    );
    const full = await runGate({ synth: bad, root: ROOT });
    const rules = new Set(full.verdict.findings.map((f) => f.rule));
    expect(rules.size).toBeGreaterThanOrEqual(4);
    expect(full.verdict.findings.some((f) => f.stack === "platform-prod-eastus2-compute")).toBe(true);
    expect(full.verdict.findings.some((f) => f.rule === "ZG-NET-003")).toBe(true); // estate scope ran
    expect(full.verdict.complete).toBe(true);

    const cold = (await gate(bad)) as IncrementalGateRun;
    expect(cold.fallback).toBeUndefined();
    expect(cold.cache!.reusedUnits).toEqual([]);
    expectSame(full, cold);
    // Units that reference each other are evaluated together: the standard tenant with its platform clusters.
    expect(cold.cache!.groups.map((g) => g.units.join(","))).toEqual(
      expect.arrayContaining([
        "tenant:alpenpay",
        "tenant:northwind-bank",
        "platform:dev:eastus2,platform:prod:eastus2,tenant:lakeshore-cu",
      ]),
    );
    const warm = await gate(bad);
    expect(warm.cache!.evaluatedUnits).toEqual([]);
    expectSame(full, warm);
    // The resources read back from the entries (each stack's shared fields stored once) are the full gate's,
    // but for the values and references that entries do not keep.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const slim = ({ values, unknown, refs, ...rest }: GateRun["inputs"]["resources"][number]) => rest;
    expect(warm.inputs.resources.map(slim)).toEqual(full.inputs.resources.map(slim));
    // Every group split across two threads (a large group is, in a real estate): the same verdict.
    const split = await gate(bad, {
      cacheDir: path.join(tmp, "gate-cache-split"),
      parallel: { threads: 2, minResources: 2 },
    });
    expect(split.cache!.reusedUnits).toEqual([]);
    expectSame(full, split);
  });

  test("(b) changing a tenant file re-evaluates only that tenant's unit (and its group)", async () => {
    const r0 = await synth();
    const g0 = await gate(out, { units: r0.unitList, codeHash: r0.codeHash });
    const g0again = await gate(out, { units: r0.unitList, codeHash: r0.codeHash });
    expect(g0again.cache!.evaluatedUnits).toEqual([]);
    expectSame(g0, g0again);

    const file = path.join(tenantsDir, "alpenpay.yaml");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toMatch(/rateLimitPerMinute: \d+/);
    fs.writeFileSync(file, text.replace(/rateLimitPerMinute: \d+/, "rateLimitPerMinute: 123"));
    const r1 = await synth();
    expect(r1.rebuilt).toEqual(["tenant:alpenpay"]);
    const g1 = await gate(out, { units: r1.unitList, codeHash: r1.codeHash });
    expect(g1.cache!.evaluatedUnits).toEqual(["tenant:alpenpay"]);
    expectSame(await runGate({ synth: out, root: ROOT }), g1);

    const std = path.join(tenantsDir, "lakeshore-cu.yaml");
    fs.writeFileSync(std, fs.readFileSync(std, "utf8").replace("pods: 60", "pods: 70"));
    const r2 = await synth();
    const g2 = await gate(out, { units: r2.unitList, codeHash: r2.codeHash });
    expect(sorted(g2.cache!.evaluatedUnits)).toEqual([
      "platform:dev:eastus2",
      "platform:prod:eastus2",
      "tenant:lakeshore-cu",
    ]);
    expectSame(await runGate({ synth: out, root: ROOT }), g2);
  });

  test("(c) a construct change (the code hash input of the keys) re-evaluates everything", async () => {
    const r = await synth();
    const before = await gate(out, { units: r.unitList, codeHash: r.codeHash });
    expect(before.cache!.evaluatedUnits).toEqual([]);
    const changed = codeHash({ root: ROOT, extra: ["constructs/key-vault.ts changed"] }).hash;
    expect(changed).not.toBe(r.codeHash);
    const g = await gate(out, { units: r.unitList, codeHash: changed });
    expect(g.cache!.reusedUnits).toEqual([]);
    expect(sorted(g.cache!.evaluatedUnits)).toEqual(sorted(r.unitList.map((u) => u.id)));
    expectSame(before, g);
    // Without a synth hint the gate hashes the code itself: a test-injected change also invalidates.
    const h = await gate(out, { extraKey: ["lib/gate/normalize/synth.ts changed"] });
    expect(h.cache!.reusedUnits).toEqual([]);
  });

  test("(d) a new policy bundle (wasm or data hash) re-evaluates everything", async () => {
    await gate(out);
    const base = await gate(out);
    expect(base.cache!.evaluatedUnits).toEqual([]);
    const src = path.join(ROOT, "policies", "dist");
    for (const variant of ["wasm", "data"] as const) {
      const dist = path.join(tmp, `dist-${variant}`);
      fs.cpSync(src, dist, { recursive: true });
      const manifest = JSON.parse(fs.readFileSync(path.join(dist, "manifest.json"), "utf8"));
      const { createHash } = await import("node:crypto");
      const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      if (variant === "wasm") {
        // A custom section (id 0, name "zg"): same policy, different bytes → a different wasmSha256.
        const wasm = Buffer.concat([
          fs.readFileSync(path.join(dist, "policy.wasm")),
          Buffer.from([0, 4, 2, 0x7a, 0x67, 1]),
        ]);
        fs.writeFileSync(path.join(dist, "policy.wasm"), wasm);
        manifest.wasmSha256 = sha(wasm);
      } else {
        const data = Buffer.from(`${fs.readFileSync(path.join(dist, "data.json"), "utf8")}\n`);
        fs.writeFileSync(path.join(dist, "data.json"), data);
        manifest.dataSha256 = sha(data);
      }
      fs.writeFileSync(path.join(dist, "manifest.json"), JSON.stringify(manifest));
      // A rebuilt bundle is signed again (an edited, unsigned one is refused: test/hostile bundle cases).
      signDist(dist);
      const g = await gate(out, { bundle: { dist } });
      expect(g.cache!.reusedUnits).toEqual([]);
      expect(g.verdict.findings).toEqual(base.verdict.findings);
      const again = await gate(out, { bundle: { dist } });
      expect(again.cache!.evaluatedUnits).toEqual([]);
    }
  });

  test("(f) stack facts: a stack seen before is split without parsing it; a damaged facts store is ignored", async () => {
    const warm = await gate(bad);
    const store = path.join(gateCache, "stack-facts.json");
    const text = fs.readFileSync(store, "utf8");
    expect(text).toMatch(/"tenant":\{"id":"alpenpay"/);
    // A fact changed, checksum left as it was (alpenpay's stacks would join another tenant's unit): ignored.
    fs.writeFileSync(store, text.replace(/"tenant":\{"id":"alpenpay"/g, '"tenant":{"id":"northwind-bank"'));
    const g1 = await gate(bad);
    expect(g1.cache!.evaluatedUnits).toEqual([]);
    expectSame(warm, g1);
    // Rewritten from the stacks themselves (but for when it was written).
    const content = (t: string) => {
      const { facts, stats } = (JSON.parse(t) as { payload: { facts: unknown; stats: unknown } }).payload;
      return { facts, stats };
    };
    expect(content(fs.readFileSync(store, "utf8"))).toEqual(content(text));
    // Another code's store: ignored too (and replaced).
    const g2 = await gate(bad, { codeHash: "0".repeat(64) });
    expect(fs.readFileSync(store, "utf8")).toContain(`"code":"${"0".repeat(64)}"`);
    expect(g2.verdict).toEqual(warm.verdict);
    await gate(bad);
    expect(content(fs.readFileSync(store, "utf8"))).toEqual(content(text));
    // A store that cannot be written (a directory in its place): the same verdict, said in the log, no temp left.
    fs.rmSync(store);
    fs.mkdirSync(path.join(store, "x"), { recursive: true });
    const lines: string[] = [];
    const g3 = await gate(bad, { onLog: (l) => lines.push(l) });
    expect(g3.verdict).toEqual(warm.verdict);
    expect(lines.join("\n")).toMatch(/gate-cache: stack facts not saved \(E[A-Z]+\)/);
    expect(fs.readdirSync(gateCache).filter((f) => f.startsWith("stack-facts.json.tmp"))).toEqual([]);
    fs.rmSync(store, { recursive: true });
    await gate(bad);
    expect(content(fs.readFileSync(store, "utf8"))).toEqual(content(text));
  });

  test("(g) readStackFile: with facts for its bytes a stack is parsed only when its document is used", () => {
    const dir = path.join(tmp, "lazy", "stacks", "s1");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "cdk.tf.json");
    const doc = {
      "//": {
        zonegate: {
          stack: "s1",
          env: "prod",
          region: "eastus2",
          layer: "security",
          tenant: { id: "t1", tier: "standard", residency: "us", compliance: ["sox"], env: "prod" },
        },
      },
      terraform: { backend: { local: { path: "s1.tfstate" } } },
      data: { terraform_remote_state: { "cross-stack-reference-input-s0": { config: { path: "s0.tfstate" } } } },
      resource: {
        azurerm_resource_group: {
          rg: { name: "x", location: "eastus2", tags: { a: "${data.terraform_remote_state.other.outputs.x}" } },
        },
      },
    };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const parsed = readStackFile(file, tmp);
    const facts = JSON.parse(JSON.stringify(stackFacts(parsed.stack))) as StackFacts;
    expect(facts).toEqual({
      declaredName: "s1",
      tenant: { id: "t1", tier: "standard", residency: "us", compliance: ["sox"], env: "prod" },
      context: { layer: "security", env: "prod", region: "eastus2" },
      hasZonegateContext: true,
      backend: "s1.tfstate",
      remoteState: [["cross-stack-reference-input-s0", "s0.tfstate"]],
      mentions: ["other"],
    });
    const lazy = readStackFile(file, tmp, (sha) => (sha === parsed.sha256 ? facts : undefined));
    expect(lazy.sha256).toBe(parsed.sha256);
    const { doc: d1, text: t1, ...rest1 } = parsed.stack;
    expect({
      name: lazy.stack.name,
      file: lazy.stack.file,
      tenant: lazy.stack.tenant,
      context: lazy.stack.context,
      hasZonegateContext: lazy.stack.hasZonegateContext,
    }).toEqual(rest1);
    expect(stackFacts(lazy.stack)).toBe(facts);
    expect([lazy.stack.doc, lazy.stack.text]).toEqual([d1, t1]);
    // Bytes that do not parse, vouched for by facts: split without parsing; refused as soon as they are used.
    fs.writeFileSync(file, "{ not json");
    const broken = readStackFile(file, tmp, () => facts);
    expect(broken.stack.name).toBe("s1");
    expect(() => broken.stack.doc).toThrow(/not valid JSON/);
    expect(() => readStackFile(file, tmp)).toThrow(/not valid JSON/);
    // Vouched for by its stat signature and known facts: not read at all until used; then its bytes must be the
    // ones vouched for, or the stack is refused.
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const sigs: string[] = [];
    const vouched = readStackFile(
      file,
      tmp,
      (sha) => (sha === "f".repeat(64) ? facts : undefined),
      (_real, sig) => (sigs.push(sig), "f".repeat(64)),
    );
    expect(sigs).toHaveLength(1);
    expect(vouched.sha256).toBe("f".repeat(64));
    expect(vouched.stat?.sig).toBe(sigs[0]);
    expect(settledDigest(file)).toBe("f".repeat(64)); // what the evidence record names
    expect(vouched.stack.name).toBe("s1");
    expect(() => vouched.stack.doc).toThrow(/changed while being gated/);
    // Read (not vouched for): the signature is kept only with the bytes read under it.
    const readNow = readStackFile(
      file,
      tmp,
      () => undefined,
      () => undefined,
    );
    expect(readNow.sha256).toBe(parsed.sha256);
    expect(readNow.stat?.sig).toBe(sigs[0]);
  });

  test("(h) stat signatures: trusted only when older than the store by more than the racy window", () => {
    const savedNs = 10_000_000_000n;
    expect(trustedSince("1:2:3:7000000000", savedNs)).toBe(true);
    expect(trustedSince("1:2:3:8500000000", savedNs)).toBe(false);
    expect(trustedSince("1:2:3:x", savedNs)).toBe(false);
  });

  test("(e) a tampered or damaged cache entry is ignored and its group evaluated again", async () => {
    const warm = await gate(bad);
    expect(warm.cache!.evaluatedUnits).toEqual([]);
    const group = warm.cache!.groups.find((g) => g.units.includes("tenant:alpenpay"))!;
    const file = path.join(gateCache, `${group.key}.json`);
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(entry.payload.findings.length).toBeGreaterThan(0);
    // 1. Findings dropped (the violation "disappears"), checksum left as it was.
    entry.payload.findings = [];
    fs.writeFileSync(file, JSON.stringify(entry));
    const g1 = await gate(bad);
    expect(g1.cache!.evaluatedUnits).toEqual(["tenant:alpenpay"]);
    expectSame(warm, g1);
    // 2. Truncated file.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").slice(0, 100));
    const g2 = await gate(bad);
    expect(g2.cache!.evaluatedUnits).toEqual(["tenant:alpenpay"]);
    expectSame(warm, g2);
    // 3. An entry copied under another group's key.
    const other = warm.cache!.groups.find((g) => g.units.includes("tenant:northwind-bank"))!;
    fs.copyFileSync(file, path.join(gateCache, `${other.key}.json`));
    const g3 = await gate(bad);
    expect(g3.cache!.evaluatedUnits).toEqual(["tenant:northwind-bank"]);
    expectSame(warm, g3);
    // 4. The gated output edited after synth (same synth keys): its content hash differs → evaluated.
    inject(
      bad,
      "alpenpay-prod-switzerlandnorth-security",
      /"purge_protection_enabled": false/g,
      '"purge_protection_enabled": true',
    );
    const g4 = await gate(bad);
    expect(g4.cache!.evaluatedUnits).toEqual(["tenant:alpenpay"]);
    expectSame(await runGate({ synth: bad, root: ROOT }), g4);
  });
});
