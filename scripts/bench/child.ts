/**
 * One measurement in a fresh process (so peak RSS is per measurement); prints one JSON line.
 *   gate-plan <plan.json> [<write-input.json>]  JSON.parse baseline, then the gate: normalize → index → evaluate → verdict
 *   gate-synth <cdktf.out>                      the gate over a synthesized estate
 *   gate-hcl <dir>                              the gate over a Terraform HCL directory (converter time split out)
 *   synth-serial <tenantsDir> <outdir>          whole-estate synth in one process (stacks/app.ts synthEstate)
 *   synth-inc <tenantsDir> <outdir> <cacheDir> <workers>  incremental/parallel synth (lib/synth-cache)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BENCH_TENANT } from "./bench-tenant";
import { loadBundle } from "../../lib/gate/bundle";
import { buildGateInput, evaluate } from "../../lib/gate/engine";
import { chunkSize, evaluateAll } from "../../lib/gate/chunked";
import { loadInputs } from "../../lib/gate/normalize";
import { normalizePlan } from "../../lib/gate/normalize/plan";
import { normalizeHcl } from "../../lib/gate/normalize/hcl";
import { computeVerdict } from "../../lib/gate/verdict";

const ROOT = path.resolve(__dirname, "../..");
const now = () => performance.now();
const rssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function gate(
  load: () => Promise<{ resources: import("../../lib/gate/model").ResourceModel[]; complete: boolean }>,
  writeInput?: string,
) {
  let t = now();
  // The bench's policy snapshot (scripts/bench/run.ts stageBundle) when given, else the repo's verified bundle.
  const dist = process.env.ZG_BENCH_DIST;
  const bundle = await loadBundle(dist ? { root: ROOT, dist, skipFreshness: true, unsigned: true } : { root: ROOT });
  const loadBundleMs = now() - t;
  t = now();
  const { resources, complete } = await load();
  const normalizeMs = now() - t;
  // As the product does (lib/gate/gate.ts): one evaluation, or chunks of related resources above chunkSize().
  const chunked = resources.length > chunkSize();
  t = now();
  const input = chunked ? undefined : buildGateInput(resources, complete);
  const indexMs = now() - t;
  // Written before evaluating, so native `opa eval` is measured even where the Wasm evaluation fails.
  if (writeInput && input) fs.writeFileSync(writeInput, JSON.stringify(input));
  t = now();
  const raw = input ? evaluate(bundle, input) : evaluateAll(bundle, resources, complete);
  const evalMs = now() - t;
  t = now();
  const verdict = computeVerdict({
    raw,
    resources,
    complete,
    catalogue: bundle.catalogue,
    waivers: [],
    stacks: [],
    today: "2025-01-01",
  });
  const verdictMs = now() - t;
  const gateMs = normalizeMs + indexMs + evalMs + verdictMs;
  // JSON-in cost of opa-wasm: serialize + hand over + parse inside Wasm, measured with an entrypoint that reads no
  // input (one evaluation only; not measured for chunked inputs).
  let text = "";
  let stringifyMs = NaN;
  let inputLoadMs = NaN;
  if (input) {
    t = now();
    text = JSON.stringify(input);
    stringifyMs = now() - t;
    t = now();
    bundle.policy.evaluate(input, "zonegate/gate/unevaluated");
    inputLoadMs = now() - t;
  }
  return {
    resources: resources.length,
    loadBundleMs,
    normalizeMs,
    indexMs,
    evalMs,
    verdictMs,
    gateMs,
    stringifyMs,
    inputLoadMs,
    inputBytes: input ? Buffer.byteLength(text) : NaN,
    chunked,
    rawFindings: raw.length,
    findings: verdict.findings.length,
    violations: verdict.totals.violations,
    byRule: verdict.findings.reduce<Record<string, string[]>>((a, f) => ((a[f.rule] ??= []).push(f.address), a), {}),
  };
}

async function main(): Promise<void> {
  const [cmd, a, b, c, d] = process.argv.slice(2);
  let out: Record<string, unknown>;
  if (cmd === "gate-plan") {
    let t = now();
    const text = fs.readFileSync(a, "utf8");
    const readMs = now() - t;
    t = now();
    JSON.parse(text);
    const parseMs = now() - t;
    const g = await gate(
      async () => ({ resources: normalizePlan(a, { tenant: BENCH_TENANT, root: ROOT }).resources, complete: false }),
      b,
    );
    out = { readMs, parseMs, fileBytes: Buffer.byteLength(text), ...g };
  } else if (cmd === "gate-hcl") {
    const t = now();
    let timings = { parseMs: NaN, totalMs: NaN };
    let warnings = 0;
    const g = await gate(async () => {
      const h = await normalizeHcl(a, { tenant: BENCH_TENANT, root: ROOT });
      timings = h.timings;
      warnings = h.warnings.length;
      return { resources: h.resources, complete: false };
    });
    out = {
      wallMs: now() - t,
      ...g,
      converterMs: timings.parseMs,
      readerMs: timings.totalMs - timings.parseMs,
      warnings,
      byRule: undefined,
    };
  } else if (cmd === "gate-synth") {
    const t = now();
    const g = await gate(async () => {
      const x = await loadInputs({ synth: a, root: ROOT });
      return { resources: x.resources, complete: x.complete };
    });
    out = { wallMs: now() - t, ...g, byRule: undefined };
  } else if (cmd === "synth-serial") {
    const t = now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadTenants } = require("../../lib/tenant/load") as typeof import("../../lib/tenant/load");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthEstate } = require("../../stacks/app") as typeof import("../../stacks/app");
    const r = synthEstate(loadTenants(a).tenants, b);
    out = { wallMs: now() - t, stacks: r.stacks, resources: r.totalResources };
  } else if (cmd === "synth-inc") {
    const t = now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthIncremental } = require("../../lib/synth-cache") as typeof import("../../lib/synth-cache");
    const estate = () => import("../../stacks/app");
    const r = await synthIncremental({
      tenantsDir: a,
      outdir: b,
      cacheDir: c,
      workers: Number(d ?? 2),
      root: ROOT,
      estate,
    });
    out = {
      wallMs: now() - t,
      stacks: r.stacks,
      resources: r.totalResources,
      rebuilt: r.rebuilt.length,
      reused: r.reused.length,
      timings: r.timings,
      workerRssMB: r.workerRssMB,
    };
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
  process.stdout.write(`${JSON.stringify({ ...out, maxRssMB: rssMB() })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
