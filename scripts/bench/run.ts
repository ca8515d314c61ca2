/**
 * `npm run bench` — gate throughput, synth scaling and the Checkov peer (issue 6). Not a test: prints a
 * Markdown table and writes bench/results/latest.json + latest.md. Every figure is a median of several runs,
 * each run in a fresh process (so peak RSS is that measurement's), and every ratio is taken in the same run.
 *
 *   npm run bench -- [--quick] [--sizes 1000,5000,15000,50000] [--tenants 10,50,100] [--runs 3]
 *                    [--hcl-sizes 5000,20000] [--skip-gate] [--skip-synth] [--skip-serial] [--skip-hcl] [--skip-checkov] [--skip-cli]
 *                    [--only gate,hcl,synth,checkov,cli] [--cli-runs 15] [--keep]
 *
 * The `cli` rows time the compiled CLI (dist/, built first) as whole processes against bare `node`:
 *   npm run bench -- --only cli --name startup
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { compiledCli } from "./compiled-cli";
import { BENCH_TENANT, generatePlan } from "./plan-gen";
import { generateHclDir } from "./hcl-gen";
import { tenantId, tenantYaml, writeTenants } from "./tenant-gen";

const ROOT = path.resolve(__dirname, "../..");
const OPA = path.join(ROOT, ".tools/bin/opa");
// ZG_CHECKOV: another Checkov binary (e.g. a venv outside .tools).
const CHECKOV = process.env.ZG_CHECKOV ?? path.join(ROOT, ".tools/checkov-venv/bin/checkov");
const RESULTS = path.join(ROOT, "bench/results");

type Json = Record<string, unknown>;

const numbers = (s: string): number[] =>
  s
    .split(",")
    .map(Number)
    .filter((n) => n > 0);

const opts = new Command("bench")
  .description("gate throughput, synth scaling and the Checkov peer; prints Markdown, writes bench/results/")
  .option("--quick", "small sizes for a smoke run (1k, 5k plans; 10 tenants)")
  .option("--sizes <list>", "plan sizes in resources, comma-separated", numbers)
  .option("--tenants <list>", "estate sizes in tenants, comma-separated", numbers)
  .option("--runs <n>", "runs per measurement (median)", Number, 3)
  .option("--skip-gate", "skip gate throughput")
  .option("--skip-synth", "skip synth scaling")
  .option("--skip-serial", "skip the one-process serial synth (a comparison row, not the product path)")
  .option("--hcl-sizes <list>", "HCL directory sizes in resources, comma-separated", numbers)
  .option("--skip-hcl", "skip the HCL-directory gate")
  .option("--skip-checkov", "skip the Checkov peer")
  .option("--skip-cli", "skip the compiled CLI's whole-process rows")
  .option("--only <list>", "run only these sections: gate, hcl, synth, checkov, cli (comma-separated)", (s: string) =>
    s.split(",").map((x) => x.trim()),
  )
  .option("--cli-runs <n>", "runs per whole-process CLI measurement (median)", Number, 15)
  .option("--keep", "keep the work directory")
  .option("--name <stem>", "results file stem under bench/results/ (default latest, or quick with --quick)")
  .parse(process.argv)
  .opts<{
    quick?: boolean;
    sizes?: number[];
    tenants?: number[];
    runs: number;
    skipGate?: boolean;
    skipSynth?: boolean;
    skipSerial?: boolean;
    hclSizes?: number[];
    skipHcl?: boolean;
    skipCheckov?: boolean;
    skipCli?: boolean;
    only?: string[];
    cliRuns: number;
    keep?: boolean;
    name?: string;
  }>();
const quick = opts.quick === true;
const sizes = opts.sizes ?? (quick ? [1000, 5000] : [1000, 5000, 15000, 50000]);
const tenantCounts = opts.tenants ?? (quick ? [10] : [10, 50, 100]);
const hclSizes = opts.hclSizes ?? (quick ? [1000] : [5000, 20000]);
const runs = opts.runs;
if (opts.only) {
  const only = new Set(opts.only);
  opts.skipGate = !only.has("gate");
  opts.skipHcl = !only.has("hcl");
  opts.skipSynth = !only.has("synth");
  opts.skipCheckov = !only.has("checkov");
  opts.skipCli = !only.has("cli");
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) =>
  !Number.isFinite(x)
    ? "—"
    : x >= 10000
      ? `${(x / 1000).toFixed(1)} s`
      : x >= 1000
        ? `${(x / 1000).toFixed(2)} s`
        : `${Math.round(x)} ms`;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

/** Run a command under /usr/bin/time -v when available; returns wall ms, peak RSS MB, stdout. */
function timed(
  cmd: string,
  args: string[],
  opts: { cwd?: string; allowFail?: boolean } = {},
): { wallMs: number; rssMB: number; stdout: string; stderr: string; status: number } {
  const useTime = fs.existsSync("/usr/bin/time");
  const t = performance.now();
  const r = useTime
    ? spawnSync("/usr/bin/time", ["-v", cmd, ...args], { cwd: opts.cwd, encoding: "utf8", maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const wallMs = performance.now() - t;
  if (r.status !== 0 && !opts.allowFail)
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${(r.stderr ?? "").slice(-2000)}`);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? "");
  return {
    wallMs,
    rssMB: m ? Math.round(Number(m[1]) / 1024) : NaN,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    status: r.status ?? -1,
  };
}

let benchDist = "";
function child(args: string[], allowFail = false): Json {
  if (benchDist) process.env.ZG_BENCH_DIST = benchDist;
  const r = timed(process.execPath, ["--import", "tsx", path.join(__dirname, "child.ts"), ...args], {
    cwd: ROOT,
    allowFail,
  });
  if (r.status !== 0) {
    const error = (/GateError: ([^\n]*)/.exec(r.stderr)?.[1] ?? `exit ${r.status}`).slice(0, 200);
    return { error, processWallMs: r.wallMs, rssMB: r.rssMB };
  }
  const j = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Json;
  return { ...j, processWallMs: r.wallMs, rssMB: Number.isNaN(r.rssMB) ? j.maxRssMB : r.rssMB };
}

/**
 * A private snapshot of the policy sources (every non-test .rego under policies/ + policies/data merged into
 * data.json) and its Wasm build, made with the pinned OPA exactly as scripts/build-policies.ts does. Both the
 * gate (loadBundle with `dist` = the snapshot) and native `opa eval --bundle` use it, so they evaluate the
 * same rules and data even while policies/ is being edited.
 */
function stageBundle(dir: string): { src: string; dist: string } {
  const src = path.join(dir, "opa-bundle");
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? (e.name === "dist" ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)],
      );
  const data: Json = {};
  for (const f of walk(path.join(ROOT, "policies"))) {
    const rel = path.relative(ROOT, f);
    if (f.endsWith(".rego") && !f.endsWith("_test.rego")) {
      fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      fs.copyFileSync(f, path.join(src, rel));
    } else if (rel.startsWith(`policies${path.sep}data${path.sep}`) && f.endsWith(".json")) {
      Object.assign(data, JSON.parse(fs.readFileSync(f, "utf8")));
    }
  }
  fs.writeFileSync(path.join(src, "data.json"), JSON.stringify(data));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/dist/manifest.json"), "utf8")) as Json;
  // The entrypoints the policies declare (recorded by scripts/build-policies.ts); no second list here.
  const eps = manifest.entrypoints as string[] | undefined;
  if (!Array.isArray(eps) || eps.length === 0)
    throw new Error("policies/dist/manifest.json lists no entrypoints: run `npm run policies:build`");
  const tar = path.join(dir, "bundle.tar.gz");
  execFileSync(OPA, ["build", "-t", "wasm", ...eps.flatMap((e) => ["-e", e]), "-o", tar, "opa-bundle"], {
    cwd: dir,
    stdio: "ignore",
  });
  const dist = path.join(dir, "dist");
  fs.mkdirSync(dist, { recursive: true });
  execFileSync("tar", ["-xzf", tar, "-C", dist, "/policy.wasm", "/data.json"], { stdio: "ignore" });
  const hash = (f: string) =>
    createHash("sha256")
      .update(fs.readFileSync(path.join(dist, f)))
      .digest("hex");
  fs.writeFileSync(
    path.join(dist, "manifest.json"),
    JSON.stringify({ ...manifest, wasmSha256: hash("policy.wasm"), dataSha256: hash("data.json") }),
  );
  return { src, dist };
}

function machine(): Json {
  const v = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0].trim();
    } catch {
      return "n/a";
    }
  };
  return {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "n/a",
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
    opa: v(OPA, ["version"]).replace("Version: ", ""),
    opaWasm: (
      JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@open-policy-agent/opa-wasm/package.json"), "utf8")) as {
        version: string;
      }
    ).version,
    cdktf: (
      JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/cdktf/package.json"), "utf8")) as { version: string }
    ).version,
    checkov: fs.existsSync(CHECKOV) ? v(CHECKOV, ["--version"]) : "not installed (scripts/bench/install-checkov.sh)",
    rules: (JSON.parse(fs.readFileSync(path.join(ROOT, "policies/dist/manifest.json"), "utf8")) as { rules: unknown[] })
      .rules.length,
  };
}

interface RuleMeta {
  id: string;
  peers?: { checkov?: string[] };
}
function peerMap(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const rules = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "policies/dist/manifest.json"), "utf8")) as { rules: RuleMeta[] }
  ).rules;
  for (const r of rules) for (const c of r.peers?.checkov ?? []) m.set(c, [...(m.get(c) ?? []), r.id]);
  return m;
}

/** Checkov on a target; returns wall/RSS and failed checks (check id → resource addresses). */
function checkov(args: string[]): {
  wallMs: number;
  rssMB: number;
  failed: Map<string, Set<string>>;
  passed: number;
  failedCount: number;
} {
  const r = timed(CHECKOV, [...args, "-o", "json", "--compact", "--quiet", "--skip-download", "--soft-fail"], {
    allowFail: true,
  });
  const failed = new Map<string, Set<string>>();
  let passed = 0;
  let failedCount = 0;
  try {
    const j = JSON.parse(r.stdout) as Json | Json[];
    for (const rep of Array.isArray(j) ? j : [j]) {
      const res = (rep.results ?? {}) as { failed_checks?: { check_id: string; resource: string }[] };
      passed += ((rep.summary ?? {}) as { passed?: number }).passed ?? 0;
      for (const f of res.failed_checks ?? []) {
        failedCount++;
        const s = failed.get(f.check_id) ?? new Set<string>();
        s.add(f.resource);
        failed.set(f.check_id, s);
      }
    }
  } catch {
    log(`checkov output was not JSON (exit ${r.status}): ${r.stdout.slice(0, 300)}`);
  }
  return { wallMs: r.wallMs, rssMB: r.rssMB, failed, passed, failedCount };
}

/** Findings on the controls both check: per checkov id, resources each flags and the overlap. */
function compare(ours: Record<string, string[]>, peer: Map<string, Set<string>>, norm: (a: string) => string): Json[] {
  const rows: Json[] = [];
  for (const [cid, ruleIds] of peerMap()) {
    const z = new Set(ruleIds.flatMap((r) => (ours[r] ?? []).map(norm)));
    const c = new Set([...(peer.get(cid) ?? [])].map(norm));
    const both = [...z].filter((a) => c.has(a)).length;
    if (z.size === 0 && c.size === 0) continue;
    rows.push({ checkov: cid, zonegate: ruleIds.join("+"), zonegateResources: z.size, checkovResources: c.size, both });
  }
  return rows.sort((a, b) => String(a.checkov).localeCompare(String(b.checkov)));
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "zonegate-bench-"));
  const result: Json = { machine: machine(), options: { sizes, tenantCounts, hclSizes, runs, quick } };
  log(`machine ${JSON.stringify(result.machine)}`);
  const md: string[] = [];
  try {
    // ------------------------------------------------------------------------------------------- gate
    const gateRows: Json[] = [];
    const plans = new Map<number, string>();
    const byRuleOf = new Map<number, Record<string, string[]>>();
    // The policy snapshot is for the in-process gate rows; the CLI rows use the package's verified bundle.
    const staged = opts.skipGate && opts.skipHcl && opts.skipSynth ? { src: "", dist: "" } : stageBundle(work);
    benchDist = staged.dist;
    const bundleDir = staged.src;
    if (!opts.skipGate) {
      for (const n of sizes) {
        const file = path.join(work, `plan-${n}.json`);
        const g = generatePlan({ resources: n, seed: 1 });
        fs.writeFileSync(file, JSON.stringify(g.plan));
        plans.set(n, file);
        const inputFile = path.join(work, `input-${n}.json`);
        const nRuns = n >= 50000 ? Math.max(1, Math.min(runs, 2)) : runs;
        const samples: Json[] = [];
        const opaSamples: { wallMs: number; rssMB: number; count: number }[] = [];
        for (let i = 0; i < nRuns; i++) {
          log(`gate ${n}: run ${i + 1}/${nRuns}`);
          const s1 = child(["gate-plan", file, ...(i === 0 ? [inputFile] : [])], true);
          const o = timed(OPA, [
            "eval",
            "--bundle",
            bundleDir,
            "--input",
            inputFile,
            "--format",
            "raw",
            "count(data.zonegate.gate.findings)",
          ]);
          opaSamples.push({ wallMs: o.wallMs, rssMB: o.rssMB, count: Number(o.stdout.trim()) });
          if (s1.error) {
            // The Wasm gate could not decide (exit 2): record it once, with native opa still measured.
            log(`gate ${n}: failed: ${s1.error}`);
            samples.length = 0;
            samples.push(s1);
            break;
          }
          samples.push(s1);
        }
        if (samples[0].error) {
          gateRows.push({
            resources: n,
            fileMB: Number((fs.statSync(file).size / 1e6).toFixed(1)),
            violatingResources: g.stats.violatingResources,
            violationShare: Number(g.stats.violationShare.toFixed(3)),
            error: samples[0].error,
            failedAfterMs: samples[0].processWallMs,
            gateRssMB: samples[0].rssMB,
            opaEvalMs: opaSamples[0].wallMs,
            opaRssMB: opaSamples[0].rssMB,
            opaFindings: opaSamples[0].count,
          });
          continue;
        }
        byRuleOf.set(n, samples[0].byRule as Record<string, string[]>);
        const med = (k: string) => median(samples.map((s) => Number(s[k])));
        const row = {
          resources: n,
          fileMB: Number((Number(samples[0].fileBytes) / 1e6).toFixed(1)),
          violatingResources: g.stats.violatingResources,
          violationShare: Number(g.stats.violationShare.toFixed(3)),
          runs: nRuns,
          parseMs: med("parseMs"),
          normalizeMs: med("normalizeMs"),
          evalMs: med("evalMs"),
          inputLoadMs: med("inputLoadMs"),
          verdictMs: med("verdictMs"),
          gateMs: med("gateMs"),
          loadBundleMs: med("loadBundleMs"),
          opaEvalMs: median(opaSamples.map((s) => s.wallMs)),
          gateRssMB: med("rssMB"),
          opaRssMB: median(opaSamples.map((s) => s.rssMB)),
          findings: samples[0].rawFindings,
          opaFindings: opaSamples[0].count,
          sameFindings:
            samples.every((s) => s.rawFindings === opaSamples[0].count) &&
            opaSamples.every((o) => o.count === opaSamples[0].count),
        };
        gateRows.push({ ...row, ratioToParse: row.gateMs / row.parseMs, speedupVsOpa: row.opaEvalMs / row.gateMs });
        log(`gate ${n}: ${JSON.stringify(gateRows[gateRows.length - 1])}`);
      }
      result.gate = gateRows;
      md.push(
        "### Gate throughput (generated plans, full rule library)",
        "",
        "| resources | plan | violating | `JSON.parse` | gate (normalize + evaluate + verdict) | of which Wasm evaluate | of which JSON-in | gate ÷ parse | native `opa eval` | opa ÷ gate | findings (wasm = opa) | peak RSS gate / opa |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...gateRows.map((r) =>
          r.error
            ? `| ${r.resources} | ${r.fileMB} MB | ${r.violatingResources} (${((r.violationShare as number) * 100).toFixed(1)} %) | — | **could not decide** (exit 2) after ${ms(r.failedAfterMs as number)}: ${r.error} | — | — | — | ${ms(r.opaEvalMs as number)} | — | — / ${r.opaFindings} | ${r.gateRssMB} / ${r.opaRssMB} MB |`
            : `| ${r.resources} | ${r.fileMB} MB | ${r.violatingResources} (${((r.violationShare as number) * 100).toFixed(1)} %) | ${ms(r.parseMs as number)} | ${ms(r.gateMs as number)} | ${ms(r.evalMs as number)} | ${ms(r.inputLoadMs as number)} | ${(r.ratioToParse as number).toFixed(1)}× | ${ms(r.opaEvalMs as number)} | ${(r.speedupVsOpa as number).toFixed(2)}× | ${r.findings} ${r.sameFindings ? "= " : "≠ "}${r.opaFindings} | ${r.gateRssMB} / ${r.opaRssMB} MB |`,
        ),
        "",
        `Gate time excludes the one-time bundle load (${ms(median(gateRows.filter((r) => !r.error).map((r) => r.loadBundleMs as number)))}: freshness hash + Wasm compile). Native \`opa eval\` is the whole CLI process (parse + compile + evaluate) on the same rules, data and normalized input.`,
        "",
      );
    }

    // ------------------------------------------------------------------------------------------- HCL
    if (!opts.skipHcl) {
      const hclRows: Json[] = [];
      // One file per landing-zone unit (the usual layout), and the same resources in one main.tf (the layout
      // that made the old reader quadratic) at the smallest size.
      const layouts = hclSizes.flatMap((n, i) => [{ n, single: false }, ...(i === 0 ? [{ n, single: true }] : [])]);
      for (const { n, single } of layouts) {
        const dir = path.join(work, `hcl-${n}${single ? "-single" : ""}`);
        const g = generateHclDir(dir, { resources: n, seed: 1, singleFile: single });
        const nRuns = n >= 20000 ? Math.max(1, Math.min(runs, 2)) : runs;
        const samples: Json[] = [];
        for (let i = 0; i < nRuns; i++) {
          log(`hcl ${n}${single ? " (one file)" : ""}: run ${i + 1}/${nRuns}`);
          const s1 = child(["gate-hcl", dir], true);
          samples.push(s1);
          if (s1.error) break;
        }
        if (samples[0].error) {
          hclRows.push({
            resources: n,
            files: g.files,
            mb: g.bytes / 1e6,
            error: samples[0].error,
            rssMB: samples[0].rssMB,
          });
          continue;
        }
        const med = (k: string) => median(samples.map((s) => Number(s[k])));
        hclRows.push({
          resources: n,
          files: g.files,
          mb: Number((g.bytes / 1e6).toFixed(1)),
          runs: nRuns,
          converterMs: med("converterMs"),
          readerMs: med("readerMs"),
          normalizeMs: med("normalizeMs"),
          evalMs: med("evalMs"),
          gateMs: med("gateMs"),
          processMs: med("processWallMs"),
          rssMB: med("rssMB"),
          findings: samples[0].rawFindings,
          normalized: samples[0].resources,
        });
        log(`hcl ${n}: ${JSON.stringify(hclRows[hclRows.length - 1])}`);
      }
      result.hcl = hclRows;
      md.push(
        "### Gate over HCL directories (generated landing-zone units as .tf)",
        "",
        "| resources | files | size | converter (`@cdktf/hcl2json`) | reader (declarations, evaluation, expansion) | Wasm evaluate | gate total | process wall | peak RSS | findings |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...hclRows.map((r) =>
          r.error
            ? `| ${r.resources} | ${r.files} | ${r.mb} MB | **could not decide** (exit 2): ${r.error} | — | — | — | — | ${r.rssMB} MB | — |`
            : `| ${r.resources} | ${r.files} | ${r.mb} MB | ${ms(r.converterMs as number)} | ${ms(r.readerMs as number)} | ${ms(r.evalMs as number)} | ${ms(r.gateMs as number)} | ${ms(r.processMs as number)} | ${r.rssMB} MB | ${r.findings} |`,
        ),
        "",
        "The reader is linear in resources (one pass over each file for declaration lines, memoized evaluation); the converter (Go compiled to Wasm) dominates.",
        "",
      );
    }

    // ------------------------------------------------------------------------------------------- synth
    const synthRows: Json[] = [];
    let lastOut: string | undefined;
    if (!opts.skipSynth) {
      for (const n of tenantCounts) {
        const tdir = path.join(work, `tenants-${n}`);
        writeTenants(tdir, n);
        const outSerial = path.join(work, `out-serial-${n}`);
        const outPar = path.join(work, `out-par-${n}`);
        const cache = path.join(work, `cache-${n}`);
        let serial: Json = { wallMs: NaN, rssMB: NaN };
        if (!opts.skipSerial) {
          log(`synth ${n} tenants: serial`);
          serial = child(["synth-serial", tdir, outSerial]);
          fs.rmSync(outSerial, { recursive: true, force: true });
        }
        log(`synth ${n} tenants: parallel (2 workers, cold cache)`);
        const cold = child(["synth-inc", tdir, outPar, cache, "2"]);
        log(`synth ${n} tenants: gate`);
        const gate = child(["gate-synth", outPar], true);
        log(`synth ${n} tenants: no-change`);
        const warm = child(["synth-inc", tdir, outPar, cache, "2"]);
        // One tenant file changes (a premium tenant: its cluster size).
        const k = 1;
        fs.writeFileSync(path.join(tdir, `${tenantId(k)}.yaml`), tenantYaml(k, 3));
        log(`synth ${n} tenants: one tenant changed`);
        const inc = child(["synth-inc", tdir, outPar, cache, "2"]);
        const gate2 = child(["gate-synth", outPar], true);
        // The real `npm start` path (zonegate run: incremental synth + incremental gate, reports written),
        // cold, then after one more tenant file changes.
        const cli = (): { wallMs: number; rssMB: number } => {
          process.env.ZG_CACHE_DIR = path.join(work, `cli-cache-${n}`);
          const args = [compiledCli(), "run", "--tenants", tdir];
          const r = timed(
            process.execPath,
            [...args, "--synth-dir", path.join(work, `cli-out-${n}`), "--out", path.join(work, `cli-rep-${n}`)],
            { cwd: ROOT },
          );
          delete process.env.ZG_CACHE_DIR;
          return r;
        };
        log(`synth ${n} tenants: zonegate run (cold)`);
        const cliCold = cli();
        // One more tenant file changes per run (a different tenant each time); median of `runs` runs.
        const cliIncs: { wallMs: number; rssMB: number }[] = [];
        for (let i = 0; i < runs; i++) {
          fs.writeFileSync(path.join(tdir, `${tenantId(2 + i)}.yaml`), tenantYaml(2 + i, 3));
          log(`synth ${n} tenants: zonegate run (one tenant changed) ${i + 1}/${runs}`);
          cliIncs.push(cli());
        }
        const cliInc = {
          wallMs: median(cliIncs.map((r) => r.wallMs)),
          rssMB: Math.max(...cliIncs.map((r) => r.rssMB)),
          samplesMs: cliIncs.map((r) => Math.round(r.wallMs)),
        };
        const workerRss = Math.max(0, ...((cold.workerRssMB as number[]) ?? []));
        synthRows.push({
          tenants: n,
          stacks: cold.stacks,
          resources: cold.resources,
          serialMs: serial.wallMs,
          serialRssMB: serial.rssMB,
          parallelMs: cold.wallMs,
          parallelRssMB: Math.max(Number(cold.rssMB), workerRss),
          stacksPerS: (cold.stacks as number) / ((cold.wallMs as number) / 1000),
          resourcesPerS: (cold.resources as number) / ((cold.wallMs as number) / 1000),
          gateMs: gate.wallMs,
          ...(gate.error ? { gateError: gate.error, gateFailedAfterMs: gate.processWallMs } : {}),
          gateEvalMs: gate.evalMs,
          gateNormalizeMs: gate.normalizeMs,
          gateRssMB: gate.rssMB,
          violations: gate.violations,
          synthAndGateMs: (cold.wallMs as number) + (gate.wallMs as number),
          noChangeMs: warm.wallMs,
          incrementalMs: inc.wallMs,
          incrementalProcessMs: inc.processWallMs,
          incrementalRebuilt: inc.rebuilt,
          incrementalGateMs: gate2.wallMs,
          cliColdMs: cliCold.wallMs,
          cliColdRssMB: cliCold.rssMB,
          cliIncrementalMs: cliInc.wallMs,
          cliIncrementalRssMB: cliInc.rssMB,
          cliIncrementalSamplesMs: cliInc.samplesMs,
          loadavgAfter: os.loadavg().map((x) => Number(x.toFixed(2))),
        });
        log(`synth ${n}: ${JSON.stringify(synthRows[synthRows.length - 1])}`);
        lastOut = outPar;
      }
      result.synth = synthRows;
      md.push(
        "### Synth scaling (generated estates: N tenants × 2 regions × 2 envs, mixed tiers)",
        "",
        "| tenants | stacks | resources | serial synth (1 process) | parallel synth (2 workers, cold cache) | stacks/s | resources/s | peak RSS serial / parallel (max process) | gate of the estate | synth + gate | no-change synth | one tenant changed: synth (units rebuilt) | + full gate | `zonegate run` cold | `zonegate run`, one tenant changed (incremental synth + gate) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...synthRows.map(
          (r) =>
            `| ${r.tenants} | ${r.stacks} | ${r.resources} | ${ms(r.serialMs as number)} | ${ms(r.parallelMs as number)} | ${(r.stacksPerS as number).toFixed(1)} | ${Math.round(r.resourcesPerS as number)} | ${Number.isFinite(r.serialRssMB) ? r.serialRssMB : "—"} / ${r.parallelRssMB} MB | ${ms(r.gateMs as number)} (${r.gateRssMB} MB) | ${ms(r.synthAndGateMs as number)} | ${ms(r.noChangeMs as number)} | ${ms(r.incrementalMs as number)} (${r.incrementalRebuilt}) | ${ms(r.incrementalGateMs as number)} | ${ms(r.cliColdMs as number)} (${r.cliColdRssMB} MB) | ${ms(r.cliIncrementalMs as number)} (${r.cliIncrementalRssMB} MB) |`,
        ),
        "",
        ...synthRows.map(
          (r) =>
            `${r.tenants} tenants: \`zonegate run\` with one tenant changed, each run: ${((r.cliIncrementalSamplesMs as number[]) ?? []).map(ms).join(", ")}; load average after: ${(r.loadavgAfter as number[]).join(" / ")}.${r.gateError ? ` Gate of the estate failed: ${String(r.gateError)}.` : ""}`,
        ),
        "",
      );
    }

    // ------------------------------------------------------------------------------------------- CLI
    // Whole processes of the compiled CLI (what `npx zonegate`, the npm scripts and the workflows run) against
    // bare `node` in the same run, interleaved run by run so both see the same machine load.
    if (!opts.skipCli) {
      const bin = compiledCli();
      const env = { ...process.env, ZG_EVIDENCE_DIR: path.join(work, "cli-evidence") };
      const wall = (args: string[], ok: readonly number[] = [0], extraEnv: NodeJS.ProcessEnv = {}): number => {
        const t = performance.now();
        const r = spawnSync(process.execPath, args, {
          cwd: ROOT,
          encoding: "utf8",
          maxBuffer: 1 << 30,
          env: { ...env, ...extraEnv },
        });
        const w = performance.now() - t;
        if (!ok.includes(r.status ?? -1))
          throw new Error(`node ${args.join(" ")}: exit ${r.status}: ${(r.stderr ?? "").slice(-1000)}`);
        return w;
      };
      const pair = (what: string, n: number, a: () => number, b: () => number) => {
        a();
        b(); // warm the file cache
        const xs: number[] = [];
        const ys: number[] = [];
        for (let i = 0; i < n; i++) {
          xs.push(a());
          ys.push(b());
        }
        log(`cli ${what}: ${ms(median(xs))} vs ${ms(median(ys))}`);
        return { ms: median(xs), baselineMs: median(ys), ratio: median(xs) / median(ys), runs: n };
      };
      const cliRuns = opts.cliRuns;
      const help = pair(
        "--help",
        cliRuns,
        () => wall([bin, "--help"]),
        () => wall(["-e", "0"]),
      );
      const planN = 15000;
      let planFile = plans.get(planN);
      if (!planFile) {
        planFile = path.join(work, `plan-${planN}.json`);
        fs.writeFileSync(planFile, JSON.stringify(generatePlan({ resources: planN, seed: 1 }).plan));
      }
      const t = BENCH_TENANT;
      const gateArgs = [
        ...["gate", "--plan", planFile, "--residency", t.residency, "--frameworks", t.compliance.join(",")],
        ...["--tier", t.tier, "--env", t.env],
      ];
      const parseJs = `JSON.parse(require("node:fs").readFileSync(${JSON.stringify(planFile)}, "utf8"))`;
      const gateRuns = Math.max(3, Math.min(cliRuns, 5));
      const gate = pair(
        `gate --plan (${planN} resources)`,
        gateRuns,
        // exit 1: the generated plan has violations; 2 (could not decide) fails the bench.
        () => wall([bin, ...gateArgs], [0, 1]),
        () => wall(["-e", parseJs]),
      );
      // `zonegate run` on the example estate (tenants/): once cold, then with nothing changed.
      const runArgs = [
        bin,
        "run",
        "--synth-dir",
        path.join(work, "cli-run-out"),
        "--out",
        path.join(work, "cli-run-rep"),
      ];
      const runEnv = { ZG_CACHE_DIR: path.join(work, "cli-run-cache") };
      log("cli run: cold (example estate)");
      const runCold = wall(runArgs, [0], runEnv);
      const runSamples: number[] = [];
      for (let i = 0; i < gateRuns; i++) runSamples.push(wall(runArgs, [0], runEnv));
      const run = { coldMs: runCold, noChangeMs: median(runSamples), runs: gateRuns };
      log(`cli run: cold ${ms(runCold)}, no change ${ms(run.noChangeMs)}`);
      result.cli = {
        help,
        gatePlan: { ...gate, resources: planN, fileMB: Number((fs.statSync(planFile).size / 1e6).toFixed(1)) },
        run,
        targets: { helpRatio: 3, gateRatio: 4, runNoChangeMs: 1500 },
      };
      const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
      md.push(
        "### Compiled CLI, whole processes (`node dist/lib/cli/zonegate.js`, built by `npm run build`)",
        "",
        "| measurement | zonegate | baseline (same run) | ratio | target |",
        "|---|---:|---:|---:|---|",
        `| \`zonegate --help\` (${help.runs} runs) | ${ms(help.ms)} | \`node -e 0\`: ${ms(help.baselineMs)} | ${help.ratio.toFixed(2)}× | ≤ 3× — ${verdict(help.ratio <= 3)} |`,
        `| \`zonegate gate --plan\`, ${planN}-resource plan (${(fs.statSync(planFile).size / 1e6).toFixed(1)} MB, ${gate.runs} runs) | ${ms(gate.ms)} | \`node\` that only \`JSON.parse\`s it: ${ms(gate.baselineMs)} | ${gate.ratio.toFixed(2)}× | ≤ 4× — ${verdict(gate.ratio <= 4)} |`,
        `| \`zonegate run\`, example estate, nothing changed (${run.runs} runs; cold first run ${ms(run.coldMs)}) | ${ms(run.noChangeMs)} | — | — | ≤ 1.5 s — ${verdict(run.noChangeMs <= 1500)} |`,
        "",
        "Whole processes: node start, module loading, the bundle's signature and freshness check, the plan read and normalized, the Wasm evaluation, the evidence record (sha256 of the plan) and the report; the in-process split of the gate itself is in the gate throughput table (`--only gate`).",
        "",
      );
    }

    // ------------------------------------------------------------------------------------------- peer
    if (!opts.skipCheckov) {
      if (!fs.existsSync(CHECKOV)) {
        log("checkov not installed: run scripts/bench/install-checkov.sh (peer comparison skipped)");
      } else {
        const peerRows: Json[] = [];
        const okSizes = gateRows.filter((r) => !r.error).map((r) => r.resources as number);
        const planN = okSizes.includes(15000) ? 15000 : okSizes[okSizes.length - 1];
        const planFile = planN ? plans.get(planN) : undefined;
        if (planFile) {
          log(`checkov on the ${planN}-resource plan`);
          const c = checkov(["--framework", "terraform_plan", "-f", planFile]);
          const g = gateRows.find((r) => r.resources === planN)!;
          peerRows.push({
            target: `${planN}-resource plan`,
            checkovMs: c.wallMs,
            checkovRssMB: c.rssMB,
            checkovFailed: c.failedCount,
            zonegateMs: g.gateMs,
            zonegateProcessMs: (g.gateMs as number) + (g.loadBundleMs as number),
            ratio: c.wallMs / (g.gateMs as number),
            controls: compare(byRuleOf.get(planN) ?? {}, c.failed, (a) => a),
          });
        }
        if (lastOut) {
          log(`checkov on the synthesized estate (${lastOut})`);
          const c = checkov(["--framework", "terraform_json", "-d", path.join(lastOut, "stacks")]);
          const g = synthRows[synthRows.length - 1];
          peerRows.push({
            target: `${g.tenants}-tenant synthesized estate (cdk.tf.json)`,
            checkovMs: c.wallMs,
            checkovRssMB: c.rssMB,
            checkovFailed: c.failedCount,
            zonegateMs: g.gateMs,
            ratio: c.wallMs / (g.gateMs as number),
          });
        }
        result.peer = peerRows;
        md.push(
          "### Peer: Checkov on the same inputs",
          "",
          "| target | Checkov | Checkov failed checks | zonegate gate | Checkov ÷ zonegate | Checkov peak RSS |",
          "|---|---:|---:|---:|---:|---:|",
          ...peerRows.map(
            (r) =>
              `| ${r.target} | ${ms(r.checkovMs as number)} | ${r.checkovFailed} | ${ms(r.zonegateMs as number)} | ${(r.ratio as number).toFixed(1)}× | ${r.checkovRssMB} MB |`,
          ),
          "",
        );
        const ctl = (peerRows[0]?.controls as Json[] | undefined) ?? [];
        if (ctl.length) {
          md.push(
            `Findings on the controls both check (${peerRows[0].target}; resources flagged):`,
            "",
            "| Checkov | zonegate | zonegate | Checkov | both |",
            "|---|---|---:|---:|---:|",
            ...ctl.map(
              (r) => `| ${r.checkov} | ${r.zonegate} | ${r.zonegateResources} | ${r.checkovResources} | ${r.both} |`,
            ),
            "",
          );
        }
      }
    }
  } finally {
    if (!opts.keep) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
  const m = result.machine as Json;
  const header = [
    `## Benchmarks`,
    "",
    `Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGB} GB RAM, load average at start ${(m.loadavg as number[]).join(" / ")} · Node ${m.node} · OPA ${m.opa} · opa-wasm ${m.opaWasm} · cdktf ${m.cdktf} · Checkov ${m.checkov} · ${m.rules} rules · ${String(m.date).slice(0, 10)}. Medians of ${runs} runs (fresh process each).`,
    "",
  ];
  const text = [...header, ...md].join("\n");
  process.stdout.write(`${text}\n`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const name = opts.name ?? (quick ? "quick" : "latest");
  fs.writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, `${name}.md`), `${text}\n`);
  log(`wrote bench/results/${name}.json and ${name}.md`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
