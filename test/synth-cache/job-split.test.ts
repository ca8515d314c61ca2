/**
 * A cold build split into more jobs than workers (maxJobLoad: each worker process holds at most that many
 * tenant env × region units, bounding its memory on large estates) assembles the same bytes as a whole-estate
 * synth, platform stacks included.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as estate from "../../stacks/app";
import { loadTenants } from "../../lib/tenant/load";
import { synthEstate } from "../../stacks/app";
import { partition, synthIncremental } from "../../lib/synth-cache";

const ROOT = path.resolve(__dirname, "../..");

function tree(dir: string, base = dir, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, base, out);
    else out.set(path.relative(base, p), fs.readFileSync(p));
  }
  return out;
}

describe("synth-cache job split", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zg-synth-split-"));
    fs.cpSync(path.join(ROOT, "tenants"), path.join(tmp, "tenants"), { recursive: true });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("partition makes more jobs than workers when the work exceeds maxLoad per job", () => {
    const { tenants } = loadTenants(path.join(tmp, "tenants"));
    const units = tenants.map((t) => ({ kind: "tenant", id: `tenant:${t.id}`, tenant: t.id, key: t.id }));
    const one = partition(units as never, tenants, 2, "t", "c");
    const split = partition(units as never, tenants, 2, "t", "c", 3);
    expect(one).toHaveLength(2);
    expect(split.length).toBeGreaterThan(2);
    expect(split.flatMap((j) => Object.keys(j.tenants)).sort()).toEqual(tenants.map((t) => t.id).sort());
  });

  test("a cold build in jobs of one unit's worth equals a whole-estate synth, byte for byte", async () => {
    const r = await synthIncremental({
      tenantsDir: path.join(tmp, "tenants"),
      outdir: path.join(tmp, "out"),
      cacheDir: path.join(tmp, "cache"),
      root: ROOT,
      workers: 2,
      inProcessMax: 0,
      maxJobLoad: 1,
      estate: () => estate,
    });
    expect(r.workerRssMB.length).toBeGreaterThan(2);
    const { tenants } = loadTenants(path.join(tmp, "tenants"));
    synthEstate(tenants, path.join(tmp, "full"));
    const a = tree(path.join(tmp, "full"));
    const b = tree(r.outdir);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect([...a].filter(([k, v]) => !b.get(k)!.equals(v)).map(([k]) => k)).toEqual([]);
  });
});
