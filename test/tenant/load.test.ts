import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  formatProblem,
  formatProblems,
  loadTenantFile,
  loadTenantFiles,
  loadTenants,
  MAX_TENANT_FILE_BYTES,
  summarizeProblems,
} from "../../lib/tenant/load";
import { minNodesFor } from "../../lib/tenant/defaults";
import { validateTenantDocument } from "../../lib/tenant/schema";
import { parseYamlWithPositions } from "../../lib/tenant/yaml";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "../../lib/tenant/tenant.schema.json";

const ROOT = path.resolve(__dirname, "../..");
const BASE = fs.readFileSync(path.join(ROOT, "tenants/alpenpay.yaml"), "utf8");

/** A valid tenant document for `id`, with its own address space. */
function tenantYaml(id: string, cidr: string, extra: (s: string) => string = (s) => s): string {
  return extra(BASE.replace("id: alpenpay", `id: ${id}`).replace("10.60.0.0/18", cidr));
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zg-tenants-"));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("example tenants", () => {
  const r = loadTenants("tenants", { cwd: ROOT });

  it("load without problems or warnings", () => {
    expect(formatProblems(r.problems)).toBe("");
    expect(r.warnings).toEqual([]);
    expect(r.tenants.map((t) => t.id)).toEqual(["alpenpay", "lakeshore-cu", "northwind-bank"]);
  });

  it("keep ids short enough for readable derived names", () => {
    for (const t of r.tenants) expect(t.id.length).toBeLessThanOrEqual(14);
  });

  it("apply tier and framework defaults", () => {
    const bank = r.tenants.find((t) => t.id === "northwind-bank")!;
    expect(bank.sourceFile).toBe("tenants/northwind-bank.yaml");
    expect(bank.gateway.rateLimitPerMinute).toBe(12000);
    expect(bank.gateway.quotaPerDay).toBe(10_000_000);
    expect(bank.audit).toEqual({
      interactiveRetentionDays: 90,
      totalRetentionDays: 2557,
      immutableRetentionDays: 2557,
    });
    expect(bank.cluster.minNodes).toBe(3);
    expect(minNodesFor(bank, "dev")).toBe(1);
    expect(minNodesFor(bank, "prod")).toBe(3);
    expect(bank.dataClassification).toBe("restricted");
    expect(bank.regions.map((x) => x.name)).toEqual(["westeurope", "northeurope"]);

    const cu = r.tenants.find((t) => t.id === "lakeshore-cu")!;
    expect(cu.tier).toBe("standard");
    expect(cu.gateway.rateLimitPerMinute).toBe(600);
    expect(cu.gateway.quotaPerDay).toBe(100_000);
    expect(cu.gateway.mtlsPartners).toEqual([]);
    expect(cu.gateway.dlpPatterns).toEqual([]);
    expect(cu.audit.immutableRetentionDays).toBe(400);
    expect(cu.cluster.quota).toEqual({ cpu: "4", memory: "16Gi", pods: 60 });
    expect(cu.cluster.vmSize).toBe("Standard_D4s_v5");
    expect(cu.cluster.allowedRegistries).toEqual(["mcr.microsoft.com"]);
    expect(cu.dataClassification).toBe("confidential");

    const fin = r.tenants.find((t) => t.id === "alpenpay")!;
    expect(fin.gateway.rateLimitPerMinute).toBe(5000);
    expect(fin.gateway.quotaPerDay).toBe(1_000_000);
    expect(fin.audit).toEqual({ interactiveRetentionDays: 180, totalRetentionDays: 365, immutableRetentionDays: 365 });
    expect(fin.environments).toEqual(["dev", "staging", "prod"]);
    expect(minNodesFor(fin, "dev")).toBe(2);
  });

  it("returns frozen tenants", () => {
    expect(Object.isFrozen(r.tenants[0])).toBe(true);
    expect(Object.isFrozen(r.tenants[0].regions)).toBe(true);
  });

  it("validate against the JSON Schema with a plain ajv too (editor use)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const f of ["alpenpay", "lakeshore-cu", "northwind-bank"]) {
      const doc = parseYamlWithPositions(fs.readFileSync(path.join(ROOT, "tenants", `${f}.yaml`), "utf8")).documents[0];
      expect(validate(doc)).toBe(true);
      expect(validateTenantDocument(doc).issues).toEqual([]);
    }
  });
});

describe("good fixtures", () => {
  it("accept a BOM, CRLF line endings, flow style and an unquoted HH:MM", () => {
    const r = loadTenants("test/fixtures/tenants-good", { cwd: ROOT });
    expect(formatProblems(r.problems)).toBe("");
    const [bom, crlf] = r.tenants;
    expect(bom.id).toBe("bom-tenant");
    expect(bom.displayName).toBe("Bom Tenant — Zürich");
    expect(bom.changeWindow.start).toBe("23:30");
    expect(bom.audit).toEqual({ interactiveRetentionDays: 90, totalRetentionDays: 365, immutableRetentionDays: 365 });
    expect(bom.cluster.minNodes).toBe(1);
    expect(crlf.id).toBe("crlf-tenant");
    expect(crlf.audit.totalRetentionDays).toBe(2557);
    expect(crlf.regions).toHaveLength(2);
  });
});

describe("loadTenants in a directory", () => {
  it("reports every problem of every file in one run, across files", () => {
    fs.writeFileSync(
      path.join(tmp, "aa.yaml"),
      tenantYaml("aa", "10.1.0.0/16", (s) => s.replace("tier: premium", "tier: gold")),
    );
    fs.writeFileSync(
      path.join(tmp, "bb.yaml"),
      tenantYaml("bb", "10.1.128.0/17", (s) =>
        s.replace("residency: ch", "residency: xx").replace("timezone: Europe/Zurich", "timezone: Nowhere/City"),
      ),
    );
    const r = loadTenants(tmp, { cwd: tmp });
    const lines = formatProblems(r.problems).split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^aa\.yaml:\d+:\d+ tier: unknown value "gold"/),
      expect.stringMatching(
        /^aa\.yaml:\d+:\d+ regions\[0\]\.addressSpace: address space 10\.1\.0\.0\/16 overlaps 10\.1\.128\.0\/17 of tenant "bb" at bb\.yaml:/,
      ),
      expect.stringMatching(/^bb\.yaml:\d+:\d+ residency: unknown residency zone "xx"/),
      expect.stringMatching(
        /^bb\.yaml:\d+:\d+ regions\[0\]\.addressSpace: address space 10\.1\.128\.0\/17 overlaps 10\.1\.0\.0\/16 of tenant "aa" at aa\.yaml:/,
      ),
      expect.stringMatching(/^bb\.yaml:\d+:\d+ changeWindow\.timezone: unknown IANA time zone "Nowhere\/City"/),
    ]);
    expect(r.tenants).toEqual([]);
    expect(summarizeProblems(r.problems)).toBe("5 problems in 2 files");
  });

  it("returns the valid tenants next to problems in other files", () => {
    fs.writeFileSync(path.join(tmp, "good.yaml"), tenantYaml("good", "10.2.0.0/16"));
    fs.writeFileSync(path.join(tmp, "bad.yaml"), "id: bad\n");
    const r = loadTenants(tmp, { cwd: tmp });
    expect(r.tenants.map((t) => t.id)).toEqual(["good"]);
    expect(r.problems.every((p) => p.file === "bad.yaml")).toBe(true);
  });

  it("rejects a billion-laughs alias bomb quickly, without expanding it", () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 26; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      bomb += `${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(",")}]\n`;
    }
    fs.writeFileSync(path.join(tmp, "bomb.yaml"), bomb);
    const t0 = Date.now();
    const r = loadTenants(tmp, { cwd: tmp });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(formatProblems(r.problems)).toBe(
      "bomb.yaml:1:4 YAML anchors and aliases (&name, *name) are not allowed in tenant files; write the values out",
    );
  });

  it("refuses files over the size cap without parsing them", () => {
    fs.writeFileSync(path.join(tmp, "big.yaml"), "# " + "x".repeat(MAX_TENANT_FILE_BYTES) + "\n");
    const r = loadTenants(tmp, { cwd: tmp });
    expect(formatProblems(r.problems)).toBe(
      `big.yaml file is ${MAX_TENANT_FILE_BYTES + 3} bytes, over the limit of ${MAX_TENANT_FILE_BYTES} bytes; not parsed (expected a tenant file under 256 KiB)`,
    );
    const small = loadTenants(tmp, { cwd: tmp, maxBytes: 10 });
    expect(small.problems[0].message).toMatch(/over the limit of 10 bytes/);
  });

  it("refuses a symlink pointing outside the directory, accepts one inside", () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "zg-outside-"));
    try {
      fs.writeFileSync(path.join(outside, "evil.yaml"), tenantYaml("evil", "10.3.0.0/16"));
      fs.symlinkSync(path.join(outside, "evil.yaml"), path.join(tmp, "evil.yaml"));
      fs.mkdirSync(path.join(tmp, "store"));
      fs.writeFileSync(path.join(tmp, "store", "inner.txt"), tenantYaml("inner", "10.4.0.0/16"));
      fs.symlinkSync(path.join(tmp, "store", "inner.txt"), path.join(tmp, "inner.yaml"));
      const r = loadTenants(tmp, { cwd: tmp });
      expect(r.problems).toHaveLength(1);
      expect(formatProblem(r.problems[0])).toMatch(/^evil\.yaml is a symbolic link pointing outside .*; refused$/);
      expect(r.tenants.map((t) => t.id)).toEqual(["inner"]);
      expect(formatProblems(r.warnings)).toBe("store warning: directory ignored (tenant files are <id>.yaml)");
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it("warns about non-YAML files, errors on .yml, skips dotfiles", () => {
    fs.writeFileSync(path.join(tmp, "notes.txt"), "hello");
    fs.writeFileSync(path.join(tmp, "x.yml"), tenantYaml("x", "10.5.0.0/16"));
    fs.writeFileSync(path.join(tmp, ".hidden.yaml"), "garbage: [");
    const r = loadTenants(tmp, { cwd: tmp });
    expect(formatProblems(r.problems)).toBe("x.yml tenant files must use the .yaml extension (expected x.yaml)");
    expect(formatProblems(r.warnings)).toBe("notes.txt warning: not a .yaml file; ignored");
    expect(summarizeProblems([...r.problems, ...r.warnings])).toBe("1 problem in 1 file, 1 warning");
  });

  it("reports a missing directory instead of throwing", () => {
    const r = loadTenants(path.join(tmp, "nope"), { cwd: tmp });
    expect(formatProblems(r.problems)).toBe("nope tenant directory does not exist");
  });

  it("refuses a FIFO without blocking", () => {
    try {
      execFileSync("mkfifo", [path.join(tmp, "pipe.yaml")]);
    } catch {
      return; // no mkfifo on this platform
    }
    const r = loadTenants(tmp, { cwd: tmp });
    expect(formatProblems(r.problems)).toBe("pipe.yaml not a regular file; refused");
  });

  it("never throws on arbitrary bytes", () => {
    const samples = [
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from("id: [\n\u0000"),
      Buffer.from("? [a, b]\n: c\n"),
      Buffer.from("!!js/function 'function(){}'\n"),
      Buffer.from("__proto__: {polluted: true}\nconstructor: 1\n"),
      Buffer.from("id: x\n".repeat(1000)),
      Buffer.from("- ".repeat(500) + "x\n"),
      Buffer.from("%YAML 1.2\n%TAG ! tag:evil:\n--- !x\nid: 1\n"),
    ];
    samples.forEach((b, i) => fs.writeFileSync(path.join(tmp, `s${i}.yaml`), b));
    const r = loadTenants(tmp, { cwd: tmp });
    const files = new Set(r.problems.map((p) => p.file));
    expect(files.size).toBe(samples.length);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const p of r.problems) expect(formatProblem(p)).not.toMatch(/\n| {4}at /);
  });
});

describe("loadTenantFile", () => {
  it("loads one file and reports its problems", () => {
    const ok = loadTenantFile("tenants/alpenpay.yaml", { cwd: ROOT });
    expect(ok.problems).toEqual([]);
    expect(ok.tenant?.id).toBe("alpenpay");
    const bad = loadTenantFile("test/fixtures/tenants-bad/unknown-zone.yaml", { cwd: ROOT });
    expect(bad.tenant).toBeUndefined();
    expect(bad.problems[0]).toEqual({
      file: "test/fixtures/tenants-bad/unknown-zone.yaml",
      line: 6,
      column: 12,
      path: "residency",
      message: 'unknown residency zone "europe"',
      expected: "one of: eu, no, uk, ch, us, ca, br, au, in, jp",
    });
  });

  it("loadTenantFiles reports a missing file", () => {
    const r = loadTenantFiles([path.join(tmp, "missing.yaml")], { cwd: tmp });
    expect(formatProblems(r.problems)).toBe("missing.yaml cannot be read (ENOENT)");
  });
});
