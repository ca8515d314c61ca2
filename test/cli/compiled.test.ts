/**
 * The compiled CLI (`npm run build` → dist/lib/cli/zonegate.js, the package's `bin`) run as a child process
 * with plain node: no runtime transpiler. Built first (scripts/ensure-build.mjs: a no-op when dist/ is fresh).
 * Checks that it starts without loading the heavy modules, gates a plan with the real bundle (exit code and
 * output), refuses cleanly, and finds the files it reads at run time (the HTML report's template and assets,
 * the PCI reference, the bundle verification key) from dist/ — they resolve from the package root.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, tmpDir } from "../gate/helpers";
import { BENCH_TENANT, generatePlan } from "../../scripts/bench/plan-gen";

const BIN = path.join(REPO, "dist", "lib", "cli", "zonegate.js");
const PLAN = path.join(REPO, "test", "fixtures", "plans", "lifecycle", "delete_audit_evidence.plan.json");
const HEAVY = [
  "cdktf",
  "@cdktf/provider-azurerm",
  "@cdktf/hcl2json",
  "constructs",
  "@open-policy-agent/opa-wasm",
  "eta",
];

let work: string;

/** Run the compiled CLI; a preload lists the node_modules packages it loaded (on stderr, after the run). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const hook = path.join(work, "loaded.js");
  const r = spawnSync(process.execPath, ["-r", hook, BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ZG_EVIDENCE_DIR: path.join(work, "evidence"), ...env },
    timeout: 60_000,
  });
  const m = /^LOADED (.*)$/m.exec(r.stderr);
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr.replace(/^LOADED .*\n?/m, ""),
    loaded: new Set<string>(m ? (JSON.parse(m[1]) as string[]) : []),
  };
}

beforeAll(() => {
  work = tmpDir("zg-compiled-");
  fs.writeFileSync(
    path.join(work, "loaded.js"),
    `process.on("exit", () => {
  const pk = new Set();
  for (const k of Object.keys(require.cache)) {
    const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(k);
    if (m) pk.add(m[1].replace(/\\\\/g, "/"));
  }
  process.stderr.write("\\nLOADED " + JSON.stringify([...pk]) + "\\n");
});\n`,
  );
  execFileSync(process.execPath, [path.join(REPO, "scripts", "ensure-build.mjs")], { cwd: REPO, stdio: "pipe" });
}, 180_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("compiled CLI (dist/)", () => {
  test("the entry is an executable node script and nothing in dist/ needs a transpiler", () => {
    const text = fs.readFileSync(BIN, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
    expect(text).not.toMatch(/\btsx\b/);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(path.resolve(REPO, pkg.bin.zonegate)).toBe(BIN);
  });

  test("--help: exit 0, every command listed, no heavy module loaded", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["validate", "synth", "gate", "run", "deploy", "drift", "offboard", "evidence", "report"])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    expect(r.loaded.has("commander")).toBe(true);
    for (const h of HEAVY) expect([h, r.loaded.has(h)]).toEqual([h, false]);
  });

  test("gate --plan: exit 1 with the rule id on a plan deleting audit evidence; opa-wasm loaded, cdktf not", () => {
    const out = path.join(work, "reports");
    const r = cli([
      "gate",
      "--plan",
      PLAN,
      "--residency",
      "eu",
      "--frameworks",
      "pci-dss-4.0",
      "--env",
      "prod",
      "--format",
      "table,json",
      "--out",
      out,
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ZG-LC-001");
    expect(r.stdout).toMatch(/zonegate gate: FAIL — \d+ mandatory violation/);
    const doc = JSON.parse(fs.readFileSync(path.join(out, "gate.json"), "utf8")) as {
      findings: { rule: string }[];
    };
    expect(doc.findings.some((f) => f.rule === "ZG-LC-001")).toBe(true);
    // The HTML report: Eta template, CSS, client script and uPlot read from the package root.
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toContain("ZG-LC-001");
    expect(html).toMatch(/<style>[\s\S]{200,}<\/style>/);
    expect(r.loaded.has("@open-policy-agent/opa-wasm")).toBe(true);
    for (const h of ["cdktf", "@cdktf/provider-azurerm", "@cdktf/hcl2json", "constructs"])
      expect([h, r.loaded.has(h)]).toEqual([h, false]);
  });

  test("gate --plan on a 4 500-resource plan: the compiled evaluation worker gives the findings of one thread", () => {
    const plan = path.join(work, "plan-4500.json");
    fs.writeFileSync(plan, JSON.stringify(generatePlan({ resources: 4500, seed: 3 }).plan));
    const args = (out: string) => [
      ...["gate", "--plan", plan, "--residency", BENCH_TENANT.residency, "--frameworks", "pci-dss-4.0,sox"],
      ...["--env", "prod", "--format", "json", "--out", out],
    ];
    const findings = (out: string) =>
      (JSON.parse(fs.readFileSync(path.join(out, "gate.json"), "utf8")) as { findings: unknown[] }).findings;
    // The default on a 2-core machine is 2 threads; force it so a 1-core runner checks the worker too.
    const two = cli(args(path.join(work, "two")), { ZG_EVAL_THREADS: "2" });
    const one = cli(args(path.join(work, "one")), { ZG_EVAL_THREADS: "1" });
    expect(two.stderr).not.toMatch(/^\s+at /m);
    expect([two.code, one.code]).toEqual([1, 1]);
    expect(fs.existsSync(path.join(REPO, "dist", "lib", "gate", "eval-worker.js"))).toBe(true);
    expect(findings(path.join(work, "two")).length).toBeGreaterThan(50);
    expect(findings(path.join(work, "two"))).toEqual(findings(path.join(work, "one")));
    // The evidence records name the sha256 of the plan bytes gated (hashed off the main thread while parsed).
    const want = createHash("sha256").update(fs.readFileSync(plan)).digest("hex");
    const dir = path.join(work, "evidence");
    const recs = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".json") && f !== "index.json")
      .map(
        (f) =>
          JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { inputs?: { path: string; sha256: string }[] },
      )
      .filter((r) => r.inputs?.some((i) => i.path.endsWith("plan-4500.json")));
    expect(recs.length).toBe(2);
    for (const r of recs) expect(r.inputs!.find((i) => i.path.endsWith("plan-4500.json"))!.sha256).toBe(want);
  }, 120_000);

  test("a missing plan file: exit 2, one line, no stack trace", () => {
    const r = cli(["gate", "--plan", path.join(work, "nope.json"), "--residency", "eu", "--env", "prod"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zonegate: .*nope\.json/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
