/**
 * `npm run bench:report` — how fast the HTML posture report opens and filters in headless Chromium
 * (Debian's chromium via playwright-core, as the browser test), for:
 *   1. the real bench estate: N generated tenants (scripts/bench/tenant-gen.ts) synthesized and gated by
 *      `zonegate run` (a passing estate: no findings), its reports/index.html as written by the run;
 *   2. a generated gate.json of the same shape with 1 % of the (rule, resource) evaluations turned into
 *      findings (scripts/bench/report-gen.ts), rendered by `renderHtml`.
 * Prints a Markdown table and writes bench/results/report.json + report.md. Not a test: nothing asserted.
 *
 *   npm run bench:report -- [--tenants 100] [--runs 5] [--skip-estate] [--keep]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { generateGateDoc } from "./report-gen";
import { writeTenants } from "./tenant-gen";
import { renderHtml } from "../../lib/report/html";
import { applyFilter, chromiumAvailable, CHROMIUM, launchChromium, openReport } from "../../test/helpers/browser";
import { compiledCli } from "./compiled-cli";

const ROOT = path.resolve(__dirname, "../..");
const RESULTS = path.join(ROOT, "bench/results");

const o = new Command("bench:report")
  .option("--tenants <n>", "tenants", Number, 100)
  .option("--runs <n>", "browser runs per page (median)", Number, 5)
  .option("--skip-estate", "only the generated gate.json (no synth + gate of the estate)")
  .option("--keep", "keep the work directory")
  .parse(process.argv)
  .opts<{ tenants: number; runs: number; skipEstate?: boolean; keep?: boolean }>();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  page: string;
  stacks: number;
  resources: number;
  findings: number;
  htmlMB: number;
  openMs: number;
  tenantFilterMs: number;
  frameworkFilterMs: number;
  openPlusFilterMs: number;
}

async function measure(
  label: string,
  file: string,
  doc: { stacks: unknown[]; totals: Record<string, number>; findings: unknown[] },
  tenant: string,
): Promise<Row> {
  const open: number[] = [];
  const tf: number[] = [];
  const ff: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    // a fresh browser per run: no warm cache between runs
    const b = await launchChromium();
    try {
      const page = await b.ctx.newPage();
      open.push(await openReport(page, file));
      tf.push(await applyFilter(page, "#f-tenant", tenant));
      ff.push(await applyFilter(page, "#f-fw", "pci-dss-4.0"));
    } finally {
      await b.close();
    }
  }
  const row: Row = {
    page: label,
    stacks: doc.stacks.length,
    resources: doc.totals.resources ?? 0,
    findings: doc.findings.length,
    htmlMB: Number((fs.statSync(file).size / 1e6).toFixed(2)),
    openMs: Math.round(median(open)),
    tenantFilterMs: Math.round(median(tf)),
    frameworkFilterMs: Math.round(median(ff)),
    openPlusFilterMs: Math.round(median(open.map((x, i) => x + tf[i]))),
  };
  console.log(
    `${label}: open ${row.openMs} ms, tenant filter ${row.tenantFilterMs} ms, framework filter ${row.frameworkFilterMs} ms`,
  );
  return row;
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(`bench:report: ${CHROMIUM} not found (ZG_INSTALL_CHROMIUM=1 bash scripts/install-tools.sh as root)`);
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "zg-bench-report-"));
  const rows: Row[] = [];
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
  let estateSeconds: number | undefined;
  try {
    if (!o.skipEstate) {
      writeTenants(path.join(work, "tenants"), o.tenants);
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          compiledCli(),
          "run",
          "--tenants",
          path.join(work, "tenants"),
          "--synth-dir",
          path.join(work, "cdktf.out"),
          "--out",
          path.join(work, "reports"),
        ],
        {
          cwd: ROOT,
          env: { ...process.env, ZG_CACHE_DIR: path.join(work, "cache") },
          encoding: "utf8",
          maxBuffer: 1 << 28,
        },
      );
      estateSeconds = (performance.now() - t0) / 1000;
      const last = (r.stdout + r.stderr)
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("zonegate gate:"))
        .pop();
      console.log(`estate: ${last ?? "(no verdict line)"} in ${estateSeconds.toFixed(1)} s (exit ${r.status})`);
      if (r.status !== 0 && r.status !== 1)
        throw new Error(`zonegate run exited ${r.status}: ${r.stderr.slice(-2000)}`);
      const doc = JSON.parse(fs.readFileSync(path.join(work, "reports/gate.json"), "utf8"));
      rows.push(
        await measure(
          `${o.tenants}-tenant estate (zonegate run)`,
          path.join(work, "reports/index.html"),
          doc,
          "fin042",
        ),
      );
    }
    const gen = generateGateDoc({ tenants: o.tenants, findingRate: 0.01 });
    const file = path.join(work, "generated.html");
    fs.writeFileSync(file, renderHtml(gen));
    rows.push(await measure(`${o.tenants}-tenant generated gate.json, 1 % findings`, file, gen, "fin042"));
  } finally {
    if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`work directory kept: ${work}`);
  }
  const chromium = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" }).stdout.trim();
  const md = [
    "## HTML posture report in headless Chromium",
    "",
    `Machine: ${os.cpus().length} cores, load average at start ${load} · Node ${process.version} · ${chromium} · ` +
      `${new Date().toISOString().slice(0, 10)}. Medians of ${o.runs} runs, a fresh browser each; open = navigation ` +
      "from file:// until the page script has drawn the heat map, requirement view and findings; filter = from " +
      "the select's change to the next painted frame.",
    "",
    "| page | stacks | resources | findings | HTML | open | tenant filter | framework filter | open + filter |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.page} | ${r.stacks} | ${r.resources} | ${r.findings} | ${r.htmlMB} MB | ${r.openMs} ms | ${r.tenantFilterMs} ms | ${r.frameworkFilterMs} ms | ${r.openPlusFilterMs} ms |`,
    ),
    "",
    ...(estateSeconds
      ? [
          `The estate's synth + gate (\`zonegate run\`, cold cache) took ${estateSeconds.toFixed(1)} s in the same session.`,
          "",
        ]
      : []),
  ].join("\n");
  console.log(`\n${md}`);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS, "report.json"),
    `${JSON.stringify({ date: new Date().toISOString(), load, node: process.version, chromium, runs: o.runs, estateSeconds, rows }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(RESULTS, "report.md"), md);
}

main().catch((e) => {
  console.error(`bench:report: ${(e as Error).message}`);
  process.exit(2);
});
