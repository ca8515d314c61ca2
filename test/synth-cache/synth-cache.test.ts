/**
 * Incremental synth (lib/synth-cache): the assembled cdktf.out equals a whole-estate synth, only the units
 * whose inputs changed are rebuilt, and a code change or a damaged entry never serves stale output.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadTenants } from "../../lib/tenant/load";
import * as estate from "../../stacks/app";
import { synthEstate } from "../../stacks/app";
import { synthIncremental } from "../../lib/synth-cache";

const ROOT = path.resolve(__dirname, "../..");

/** Every file under dir (relative path → bytes). */
function tree(dir: string, base = dir, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, base, out);
    else out.set(path.relative(base, p), fs.readFileSync(p));
  }
  return out;
}

function stackFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of fs.readdirSync(path.join(dir, "stacks")).sort()) {
    out.set(s, fs.readFileSync(path.join(dir, "stacks", s, "cdk.tf.json"), "utf8"));
  }
  return out;
}

describe("synth-cache", () => {
  let tmp: string;
  let tenantsDir: string;
  let cacheDir: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zg-synth-cache-"));
    tenantsDir = path.join(tmp, "tenants");
    cacheDir = path.join(tmp, "cache");
    fs.cpSync(path.join(ROOT, "tenants"), tenantsDir, { recursive: true });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const run = (extraKey?: string[], workers = 2) =>
    synthIncremental({
      tenantsDir,
      outdir: path.join(tmp, "out"),
      cacheDir,
      root: ROOT,
      estate: () => estate,
      workers,
      inProcessMax: 0,
      extraKey,
    });

  test("cold build with workers equals a whole-estate synth, with one cdktf manifest", async () => {
    const r = await run();
    expect(r.reused).toEqual([]);
    const { tenants } = loadTenants(tenantsDir);
    const full = synthEstate(tenants, path.join(tmp, "full"));
    const a = stackFiles(path.join(tmp, "full"));
    const b = stackFiles(r.outdir);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)).toBe(v);
    const ma = JSON.parse(fs.readFileSync(path.join(tmp, "full", "manifest.json"), "utf8"));
    const mb = JSON.parse(fs.readFileSync(path.join(r.outdir, "manifest.json"), "utf8"));
    expect(mb).toEqual(ma);
    expect(r.totalResources).toBe(full.totalResources);
    // Byte-identical: every file of the assembled output (manifest.json included) equals the full synth's.
    const ta = tree(path.join(tmp, "full"));
    const tb = tree(r.outdir);
    expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
    expect([...ta].filter(([k, v]) => !tb.get(k)!.equals(v)).map(([k]) => k)).toEqual([]);
  });

  test("no change: everything comes from the cache", async () => {
    const r = await run();
    expect(r.rebuilt).toEqual([]);
  });

  test("changing one tenant rebuilds only that tenant (and its platform cluster), and the output shows the change", async () => {
    const file = path.join(tenantsDir, "alpenpay.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("maxNodes: 12", "maxNodes: 17"));
    const r = await run();
    expect(r.rebuilt).toEqual(["tenant:alpenpay"]);
    const compute = fs.readFileSync(
      path.join(r.outdir, "stacks", "alpenpay-prod-switzerlandnorth-compute", "cdk.tf.json"),
      "utf8",
    );
    expect(compute).toMatch(/"max_count": 17/);

    const std = path.join(tenantsDir, "lakeshore-cu.yaml");
    fs.writeFileSync(std, fs.readFileSync(std, "utf8").replace("pods: 60", "pods: 70"));
    const r2 = await run();
    expect([...r2.rebuilt].sort()).toEqual(["platform:dev:eastus2", "platform:prod:eastus2", "tenant:lakeshore-cu"]);
  });

  test("a code change (injected key input, as a construct edit would change the code hash) rebuilds every unit", async () => {
    const r = await run(["constructs/key-vault.ts changed"], 1);
    expect(r.reused).toEqual([]);
    expect(r.rebuilt.length).toBe(r.units);
  });

  test("a damaged cache entry is rebuilt, never served", async () => {
    const r0 = await run(["constructs/key-vault.ts changed"]);
    expect(r0.rebuilt).toEqual([]);
    const entries = fs.readdirSync(cacheDir).filter((e) => !e.startsWith("."));
    const victim = entries.find((e) =>
      fs.existsSync(path.join(cacheDir, e, "stacks", "alpenpay-dev-switzerlandnorth-security")),
    );
    expect(victim).toBeDefined();
    const f = path.join(cacheDir, victim!, "stacks", "alpenpay-dev-switzerlandnorth-security", "cdk.tf.json");
    fs.writeFileSync(
      f,
      fs.readFileSync(f, "utf8").replace(/"purge_protection_enabled": true/g, '"purge_protection_enabled": false'),
    );
    const r = await run(["constructs/key-vault.ts changed"]);
    expect(r.rebuilt).toEqual(["tenant:alpenpay"]);
    const out = fs.readFileSync(
      path.join(r.outdir, "stacks", "alpenpay-dev-switzerlandnorth-security", "cdk.tf.json"),
      "utf8",
    );
    expect(out).not.toMatch(/"purge_protection_enabled": false/);
  });
});
