#!/usr/bin/env node
/**
 * zonegate CLI: validate · synth · gate · run · deploy.
 * Exit codes: 0 pass · 1 mandatory violation (or tenant validation problems) · 2 could not decide.
 * Users never see stack traces: every error becomes one message and exit 2.
 *
 * Run compiled (`npm run build` → dist/lib/cli/zonegate.js, the package's `bin`). Only commander and the light
 * modules load at start: the gate, the report renderers, the tenant loader and the estate (cdktf, providers,
 * opa-wasm) are imported by the commands that use them (`await import(…)`), so `zonegate --help` loads none.
 */
// First: the process guards (signals, uncaught errors) are in place before the heavy modules load.
import "./early";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { GateError } from "../gate/errors";
import { resolveTenantContext } from "../gate/context";
import type { GateRun } from "../gate/gate";
import type { GateUnitHint } from "../gate/incremental";
import { displayPath } from "../gate/normalize/common";
import type { Verdict } from "../gate/verdict";
import { FORMATS, parseFormats, type Format } from "../report/formats";
import type { Tenant } from "../tenant/types";
import { decide, installProcessGuards, isDebug, oneLine, registerTemp, setDebug, unregisterTemp } from "../lifecycle";
import { describeInput } from "./describe";
import { fsReason, fsyncDir, fsyncTree, sweepStale } from "../fs/atomic";
import { acquireLock } from "../fs/lock";
import { digestsSettled } from "../fs/digest";
import { injectProcessFault, killPoint } from "../faults";
import { safeLines } from "../report/escape";
import type { CliContext } from "./context";
import { registerDeploy } from "./deploy";
import { registerDrift } from "./drift";
import { gateEvidence, registerEvidence } from "./evidence";
import { registerOffboard } from "./offboard";
import { registerReport } from "./report";
import { wiring as wire, type CliWiring } from "./wiring";
import type { Problem } from "../tenant/load";
import { codeHash } from "../synth-cache/keys";
import { PKG_ROOT } from "../pkg-root";

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const consoleIo: Io = {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
};

/** Thrown inside commands to end with an exit code after output was written. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function blocking(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity !== "warning");
}

// ------------------------------------------------------------------------------------------------- validate

async function validate(dir: string, io: Io, w: CliWiring): Promise<Tenant[]> {
  const { tenants, problems } = await w.loadTenants(dir);
  killPoint("validate");
  // File names and quoted values may hold control characters: shown escaped, one problem per line.
  if (problems.length) io.err(safeLines(w.formatProblems(problems)));
  if (blocking(problems).length > 0) {
    io.err(`tenant validation failed: ${blocking(problems).length} problem(s) in ${dir}/ — nothing was synthesized`);
    throw new Exit(1);
  }
  if (tenants.length === 0) {
    // An empty directory is a wrong --tenants path far more often than an intent: never "succeed" on it.
    io.err(`tenant validation failed: no tenant files (<id>.yaml) in ${dir}/ — nothing was synthesized`);
    throw new Exit(1);
  }
  return [...tenants];
}

// ------------------------------------------------------------------------------------------------- synth

interface SynthRow {
  tenant: string;
  stacks: number;
  resources: number;
  /** Incremental synth: units of this row rebuilt / served from the cache. */
  rebuilt?: number;
  cached?: number;
}

interface SynthSummary {
  readonly outdir: string;
  readonly rows: SynthRow[];
  /** Set by the incremental synth: its units (for the gate cache) and code hash. */
  readonly units?: readonly GateUnitHint[];
  readonly codeHash?: string;
}

/** Cache directory of the CLI (git-ignored), relative to where it runs. */
/** Synth and gate caches; `ZG_CACHE_DIR` moves them (e.g. to a CI cache path). */
const CACHE_DIR = process.env.ZG_CACHE_DIR || ".zonegate-cache";

function synthTable(sorted: readonly SynthRow[]): string {
  const w = Math.max(6, ...sorted.map((r) => r.tenant.length));
  const lines = [`${"tenant".padEnd(w)}  stacks  resources`, `${"-".repeat(w)}  ------  ---------`];
  for (const r of sorted)
    lines.push(`${r.tenant.padEnd(w)}  ${String(r.stacks).padStart(6)}  ${String(r.resources).padStart(9)}`);
  const ts = sorted.reduce((a, r) => a + r.stacks, 0);
  const tr = sorted.reduce((a, r) => a + r.resources, 0);
  lines.push(`${"total".padEnd(w)}  ${String(ts).padStart(6)}  ${String(tr).padStart(9)}`);
  return lines.join("\n");
}

function cacheState(r: SynthRow): string {
  if (!r.rebuilt) return "cached";
  if (!r.cached) return "rebuilt";
  return `${r.rebuilt} rebuilt, ${r.cached} cached`;
}

/** Validate, then synthesize through lib/synth-cache: only units whose inputs changed are rebuilt. */
async function synthCached(tenantsDir: string, outdir: string, io: Io, w: CliWiring): Promise<SynthSummary> {
  const tenants = await validate(tenantsDir, io, w);
  io.out(`synth: ${tenants.length} tenant(s) valid → ${outdir} (incremental; --no-cache for a full synth)`);
  const t0 = performance.now();
  let result: Awaited<ReturnType<CliWiring["synthIncremental"]>>;
  try {
    // Assembled next to the target and swapped in only on success (lib/synth-cache).
    result = await w.synthIncremental({
      tenantsDir,
      // Just loaded and validated by validate(): not loaded a second time.
      tenants,
      outdir,
      root: PKG_ROOT,
      cacheDir: path.resolve(CACHE_DIR, "synth"),
      // Each worker loads the provider bindings (~2.5 s): in-process is faster until many units are dirty
      // (measured on 2 shared cores: 3 dirty units 5.0 s in-process vs 6.4 s with workers).
      inProcessMax: 6,
      onLog: (l) => io.out(l),
    });
  } catch (e) {
    throw new GateError(`synth failed: ${(e as Error).message.split("\n")[0]}`);
  }
  const rows = new Map<string, SynthRow>();
  for (const u of result.unitList) {
    const t = u.id.startsWith("tenant:") ? u.id.slice("tenant:".length) : "platform";
    const row = rows.get(t) ?? { tenant: t, stacks: 0, resources: 0, rebuilt: 0, cached: 0 };
    row.stacks += u.stacks.length;
    for (const s of u.stacks) row.resources += result.resourcesPerStack[s] ?? 0;
    if (u.rebuilt) row.rebuilt! += 1;
    else row.cached! += 1;
    rows.set(t, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
  for (const r of sorted) io.out(`synth: ${r.tenant}: ${r.stacks} stacks, ${r.resources} resources (${cacheState(r)})`);
  io.out(synthTable(sorted));
  io.out(
    `synth: ${result.rebuilt.length} unit(s) rebuilt, ${result.reused.length} cached in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return {
    outdir,
    rows: sorted,
    units: result.unitList.map((u) => ({ id: u.id, key: u.key, stacks: u.stacks })),
    codeHash: result.codeHash,
  };
}

async function synth(tenantsDir: string, outdir: string, io: Io, w: CliWiring, cache = false): Promise<SynthSummary> {
  if (cache) return synthCached(tenantsDir, outdir, io, w);
  const tenants = await validate(tenantsDir, io, w);
  io.out(`synth: ${tenants.length} tenant(s) valid → ${outdir}`);
  // Synthesize next to the target and swap in only on success: a failed synth never leaves half an estate.
  const abs = path.resolve(outdir);
  const staging = `${abs}.tmp-${process.pid}`;
  sweepStale(abs);
  fs.rmSync(staging, { recursive: true, force: true });
  registerTemp(staging);
  let result: {
    entries?: readonly { stackName: string; tenantId: string | null }[];
    resourcesPerStack?: Record<string, number>;
  };
  try {
    let announced = false;
    result = await w.synthEstate(tenants, staging, (ev) => {
      if (ev.phase === "synth" && ev.done === 0 && !announced) {
        announced = true;
        io.out(`synth: synthesizing ${ev.total} stacks…`);
      }
    });
    fsyncTree(staging);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new GateError(`synth failed: ${(e as Error).message.split("\n")[0]}`);
  }
  killPoint("manifest");
  if (fs.existsSync(abs)) {
    const old = `${abs}.old-${process.pid}`;
    registerTemp(old);
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(abs, old);
    killPoint("swap");
    fs.renameSync(staging, abs);
    fsyncDir(path.dirname(abs));
    killPoint("swapped");
    fs.rmSync(old, { recursive: true, force: true });
    unregisterTemp(old);
  } else {
    fs.renameSync(staging, abs);
    fsyncDir(path.dirname(abs));
  }
  unregisterTemp(staging);
  const rows = new Map<string, SynthRow>();
  const entries = result.entries ?? [];
  for (const e of entries) {
    const t = e.tenantId ?? "platform";
    const row = rows.get(t) ?? { tenant: t, stacks: 0, resources: 0 };
    row.stacks++;
    row.resources += result.resourcesPerStack?.[e.stackName] ?? 0;
    rows.set(t, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
  for (const r of sorted) io.out(`synth: ${r.tenant}: ${r.stacks} stacks, ${r.resources} resources`);
  io.out(synthTable(sorted));
  return { outdir, rows: sorted };
}

// ------------------------------------------------------------------------------------------------- gate

interface GateCliOptions {
  synth?: string;
  plan?: string[];
  hcl?: string[];
  tenant?: string;
  residency?: string;
  frameworks?: string;
  tier?: string;
  env?: string;
  waivers?: string;
  format?: string;
  out?: string;
  stack?: string;
  tenants: string;
  /** commander's `--no-cache`: false when given. */
  cache?: boolean;
  offboarding?: string[];
  declarations?: string;
}

async function emit(
  run: GateRun,
  verdict: Verdict,
  formats: readonly Format[],
  out: string | undefined,
  io: Io,
): Promise<void> {
  const { render, writeReports, summaryLine } = await import("../report");
  // The reports' evidence stamp names the digests of the bytes the gate read (lib/fs/digest.ts).
  await digestsSettled();
  if (out) {
    const written = writeReports(verdict, formats, out, run.inputs.resources);
    if (formats.includes("table")) io.out(render(verdict, "table"));
    if (written.length) io.err(`reports: ${written.map((f) => displayPath(f)).join(", ")}`);
  } else {
    for (const f of formats) io.out(render(verdict, f, run.inputs.resources));
    if (!formats.includes("table")) io.err(summaryLine(verdict));
  }
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary && formats.includes("markdown")) {
    try {
      fs.appendFileSync(summary, render(verdict, "markdown"));
    } catch (e) {
      throw new GateError(`cannot append to GITHUB_STEP_SUMMARY (${summary}): ${fsReason(e)}`);
    }
  }
}

async function gate(o: GateCliOptions, io: Io, w: CliWiring, synthed?: SynthSummary): Promise<number> {
  let formats: Format[];
  try {
    formats = parseFormats(o.format);
  } catch (e) {
    throw new GateError((e as Error).message);
  }
  const tenant = await resolveTenantContext(
    {
      tenant: o.tenant,
      residency: o.residency,
      frameworks: o.frameworks,
      tier: o.tier,
      env: o.env,
      tenantsDir: o.tenants,
    },
    w.loadTenants,
  );
  const bundle = { hashSources: w.hashSources };
  const synthDir = o.synth ?? (!o.plan?.length && !o.hcl?.length ? "cdktf.out" : undefined);
  const { declaredOffboarding } = await import("../delivery/offboarding");
  const offboarding = declaredOffboarding(o.offboarding, o.declarations);
  // A whole synthesized estate alone: gate it incrementally (unchanged groups' raw findings from the cache).
  const incremental =
    o.cache !== false && synthDir !== undefined && !o.plan?.length && !o.hcl?.length && !o.stack && !offboarding;
  // Loaded here, not at start: the gate brings opa-wasm, the input readers and the rule catalogue.
  const [{ runGate }, { runGateIncremental }] = await Promise.all([
    import("../gate/gate"),
    import("../gate/incremental"),
  ]);
  const run = incremental
    ? await runGateIncremental({
        synth: synthDir,
        tenant,
        waivers: o.waivers,
        cacheDir: path.resolve(CACHE_DIR, "gate"),
        units: synthed?.units,
        // The synth's own code hash when it just ran, else the hash of the code gating now.
        codeHash: synthed?.codeHash ?? codeHash({ root: PKG_ROOT }).hash,
        bundle: { ...bundle, packageFallback: true },
        onLog: (l) => io.err(l),
      })
    : await runGate({
        synth: synthDir,
        plans: o.plan,
        hcl: o.hcl,
        tenant,
        stackGlob: o.stack,
        allowEmpty: (o as { allowEmpty?: boolean }).allowEmpty,
        waivers: o.waivers,
        offboarding,
        // Outside a checkout with policies/ (a global install): the package's own verified bundle.
        bundle: { ...bundle, packageFallback: true },
      });
  killPoint("gate");
  await emit(run, run.verdict, formats, o.out, io);
  await gateEvidence(synthed ? "run" : "gate", { ...o, synth: synthDir }, run.verdict, io);
  return run.verdict.exitCode;
}

// ------------------------------------------------------------------------------------------------- program

/** Take the output's writer lock, then remove what killed runs left beside it (`.tmp-<pid>` / `.old-<pid>`). */
async function lockOutput(dir: string, io: Io): Promise<() => void> {
  const release = await acquireLock(path.resolve(dir), {
    onWait: (pid) => io.err(`zonegate: ${dir} is being written by another run (pid ${pid}); waiting for it`),
  });
  for (const f of sweepStale(path.resolve(dir))) io.out(`synth: removed ${path.basename(f)} left by a killed run`);
  return release;
}

export function buildProgram(io: Io, setCode: (c: number) => void, w: CliWiring = wire()): Command {
  const program = new Command("zonegate")
    .description("Compliant multi-tenant Azure landing zones as code, gated by OPA")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) })
    .showHelpAfterError();
  const tenantsOpt = () => new Option("--tenants <dir>", "tenant files directory").default("tenants");

  program
    .command("validate")
    .description("load and validate tenants/*.yaml (exit 1 on problems)")
    .addOption(tenantsOpt())
    .action(async (o: { tenants: string }) => {
      const tenants = await validate(o.tenants, io, w);
      io.out(`${tenants.length} tenant(s) valid: ${tenants.map((t) => t.id).join(", ")}`);
      setCode(0);
    });

  program
    .command("synth")
    .description("validate, then synthesize the whole estate (nothing is written when validation fails)")
    .addOption(tenantsOpt())
    .option("--out <dir>", "output directory", "cdktf.out")
    .option("--no-cache", `full synth: do not use or update ${CACHE_DIR}/synth`)
    .action(async (o: { tenants: string; out: string; cache: boolean }) => {
      const release = await lockOutput(o.out, io);
      try {
        await synth(o.tenants, o.out, io, w, o.cache);
      } finally {
        release();
      }
      setCode(0);
    });

  program
    .command("gate")
    .description("evaluate the policy bundle over synth output, plan JSON or HCL")
    .option("--synth <dir>", "CDKTF output directory (default cdktf.out when no other input)")
    .option("--plan <file...>", "terraform show -json plan files")
    .option("--hcl <dir...>", "directories of .tf / .tf.json files")
    .option("--tenant <id>", "tenant context for plan/HCL inputs (from tenants/)")
    .option("--residency <zone>", "residency zone for plan/HCL inputs without --tenant")
    .option("--frameworks <list>", "compliance frameworks, comma-separated (with --residency)")
    .option("--tier <tier>", "tenant tier (with --residency)")
    .option("--env <env>", "environment: dev, staging or prod (default prod)")
    .option("--waivers <file>", "waiver file (default waivers.yaml when present)")
    .option("--format <list>", `report formats, comma-separated: ${FORMATS.join(", ")}`, "table")
    .option("--out <dir>", "write report files (gate.json, gate.sarif, gate.junit.xml, gate.md) here")
    .option("--stack <glob>", "only stacks whose name matches (partial input)")
    .option("--allow-empty", "accept a plan/HCL input with nothing to gate (else exit 2)")
    .option("--no-cache", `evaluate every stack again: do not use or update ${CACHE_DIR}/gate`)
    .option("--offboarding <tenants...>", "declared offboarding: deletes of these tenants' evidence are expected")
    .option("--declarations <dir>", "offboarding declarations (<dir>/<tenant>.yaml)", "offboarding")
    .addOption(tenantsOpt())
    .action(async (o: GateCliOptions) => setCode(await gate(o, io, w)));

  program
    .command("run")
    .description("validate → synth → gate every stack; reports in reports/ (what `npm start` runs)")
    .addOption(tenantsOpt())
    .option("--synth-dir <dir>", "synth output directory", "cdktf.out")
    .option("--out <dir>", "reports directory", "reports")
    .option("--waivers <file>", "waiver file (default waivers.yaml when present)")
    .option("--no-cache", `full synth and gate: do not use or update ${CACHE_DIR}/`)
    .action(async (o: { tenants: string; synthDir: string; out: string; waivers?: string; cache: boolean }) => {
      // One run at a time writes the synth directory and the reports (a second one waits for the first).
      const release = await lockOutput(o.synthDir, io);
      try {
        const synthed = await synth(o.tenants, o.synthDir, io, w, o.cache);
        const code = await gate(
          {
            tenants: o.tenants,
            synth: o.synthDir,
            out: o.out,
            waivers: o.waivers,
            format: "table,json,sarif,junit,markdown",
            cache: o.cache,
          },
          io,
          w,
          synthed,
        );
        setCode(code);
      } finally {
        release();
      }
    });

  // Commands in their own files (lib/cli/*.ts), given what they need from here.
  const ctx: CliContext = {
    io,
    setCode,
    synth: (tenants, outdir, cache) => synth(tenants, outdir, io, w, cache),
    bundle: { hashSources: w.hashSources },
    emit: (run, verdict, formats, out) => emit(run, verdict, formats, out, io),
  };
  registerDeploy(program, ctx);
  registerDrift(program, ctx);
  registerOffboard(program, ctx);
  registerEvidence(program, ctx);

  registerReport(program, io, setCode);
  return program;
}

/**
 * Run the CLI; returns the exit code (never throws). `over` replaces parts of the wiring (lib/cli/wiring.ts:
 * tenant loader, source hasher, synth) — tests only.
 */
export async function main(
  argv: readonly string[],
  io: Io = consoleIo,
  over: Partial<CliWiring> = {},
): Promise<number> {
  let code = 0;
  const args = argv.filter((a) => a !== "--debug");
  if (args.length !== argv.length) setDebug(true);
  const program = buildProgram(io, (c) => (code = c), wire(over));
  try {
    await injectProcessFault();
    await program.parseAsync([...args], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        return 0;
      return 2;
    }
    if (e instanceof GateError) {
      io.err(`zonegate: ${safeLines(e.message)}`);
      if (isDebug() && e.stack) io.err(e.stack);
      return e.exitCode;
    }
    // Anything else is a bug or an environment failure: one line naming the input, exit 2.
    const err = e as NodeJS.ErrnoException;
    const msg = err?.code && err.syscall ? `${fsReason(err)} (${err.syscall} ${err.path ?? ""})`.trim() : err?.message;
    io.err(
      `zonegate: could not decide on ${describeInput(args)}: ${oneLine(msg ?? String(e))}${isDebug() ? "" : " (--debug shows the stack)"}`,
    );
    if (isDebug() && err?.stack) io.err(err.stack);
    return 2;
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  installProcessGuards(() => describeInput(argv.filter((a) => a !== "--debug")));
  void main(argv).then((c) => {
    decide(c);
    process.exitCode = c;
  });
}
