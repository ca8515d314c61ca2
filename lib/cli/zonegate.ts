#!/usr/bin/env -S npx tsx
/**
 * zonegate CLI: validate · synth · gate · run · deploy.
 * Exit codes: 0 pass · 1 mandatory violation (or tenant validation problems) · 2 could not decide.
 * Users never see stack traces: every error becomes one message and exit 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { GateError } from "../gate/errors";
import { formatProblems, loadTenants, appModule, synthCacheModule, type TenantProblemLike } from "../gate/integrations";
import { resolveTenantContext } from "../gate/context";
import { runGate, type GateRun } from "../gate/gate";
import { runGateIncremental, type GateUnitHint } from "../gate/incremental";
import { findStackFiles, normalizeSynth, REMOTE_STATE_PREFIX } from "../gate/normalize";
import { displayPath } from "../gate/normalize/common";
import { restrictVerdict, type Verdict } from "../gate/verdict";
import { FORMATS, parseFormats, render, writeReports, summaryLine, formatMarkdown, type Format } from "../report";
import type { Tenant } from "../tenant/types";
import { findExecutable, run as runProcess } from "./proc";
import { registerReport } from "./report";

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

function blocking(problems: readonly TenantProblemLike[]): TenantProblemLike[] {
  return problems.filter((p) => p.severity !== "warning");
}

// ------------------------------------------------------------------------------------------------- validate

async function validate(dir: string, io: Io): Promise<Tenant[]> {
  const { tenants, problems } = await loadTenants(dir);
  if (problems.length) io.err(formatProblems(problems));
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
/** The zonegate package: its code is hashed into the cache keys wherever the CLI runs. */
const PKG_ROOT = path.resolve(__dirname, "../..");

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
async function synthCached(tenantsDir: string, outdir: string, io: Io): Promise<SynthSummary> {
  const tenants = await validate(tenantsDir, io);
  io.out(`synth: ${tenants.length} tenant(s) valid → ${outdir} (incremental; --no-cache for a full synth)`);
  const t0 = performance.now();
  let result: Awaited<ReturnType<ReturnType<typeof synthCacheModule>["synthIncremental"]>>;
  try {
    // Assembled next to the target and swapped in only on success (lib/synth-cache).
    result = await synthCacheModule().synthIncremental({
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

async function synth(tenantsDir: string, outdir: string, io: Io, cache = false): Promise<SynthSummary> {
  if (cache) return synthCached(tenantsDir, outdir, io);
  const tenants = await validate(tenantsDir, io);
  io.out(`synth: ${tenants.length} tenant(s) valid → ${outdir}`);
  const { synthEstate } = appModule();
  // Synthesize next to the target and swap in only on success: a failed synth never leaves half an estate.
  const abs = path.resolve(outdir);
  const staging = `${abs}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let result: {
    entries?: readonly { stackName: string; tenantId: string | null }[];
    resourcesPerStack?: Record<string, number>;
  };
  try {
    let announced = false;
    result = (await synthEstate(tenants, staging, (p: unknown) => {
      const ev = p as { phase?: string; done?: number; total?: number };
      if (ev.phase === "synth" && ev.done === 0 && !announced) {
        announced = true;
        io.out(`synth: synthesizing ${ev.total} stacks…`);
      }
    })) as typeof result;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new GateError(`synth failed: ${(e as Error).message.split("\n")[0]}`);
  }
  fs.rmSync(abs, { recursive: true, force: true });
  fs.renameSync(staging, abs);
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
}

function emit(run: GateRun, verdict: Verdict, formats: readonly Format[], out: string | undefined, io: Io): void {
  if (out) {
    const written = writeReports(verdict, formats, out, run.inputs.resources);
    if (formats.includes("table")) io.out(render(verdict, "table"));
    if (written.length) io.err(`reports: ${written.map((f) => displayPath(f)).join(", ")}`);
  } else {
    for (const f of formats) io.out(render(verdict, f, run.inputs.resources));
    if (!formats.includes("table")) io.err(summaryLine(verdict));
  }
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary && formats.includes("markdown")) fs.appendFileSync(summary, formatMarkdown(verdict));
}

async function gate(o: GateCliOptions, io: Io, synthed?: SynthSummary): Promise<number> {
  let formats: Format[];
  try {
    formats = parseFormats(o.format);
  } catch (e) {
    throw new GateError((e as Error).message);
  }
  const tenant = await resolveTenantContext({
    tenant: o.tenant,
    residency: o.residency,
    frameworks: o.frameworks,
    tier: o.tier,
    env: o.env,
    tenantsDir: o.tenants,
  });
  const synthDir = o.synth ?? (!o.plan?.length && !o.hcl?.length ? "cdktf.out" : undefined);
  // A whole synthesized estate alone: gate it incrementally (unchanged groups' raw findings from the cache).
  const incremental = o.cache !== false && synthDir !== undefined && !o.plan?.length && !o.hcl?.length && !o.stack;
  const run = incremental
    ? await runGateIncremental({
        synth: synthDir,
        tenant,
        waivers: o.waivers,
        cacheDir: path.resolve(CACHE_DIR, "gate"),
        units: synthed?.units,
        codeHash: synthed?.codeHash,
        codeRoot: PKG_ROOT,
        onLog: (l) => io.err(l),
      })
    : await runGate({
        synth: synthDir,
        plans: o.plan,
        hcl: o.hcl,
        tenant,
        stackGlob: o.stack,
        waivers: o.waivers,
      });
  emit(run, run.verdict, formats, o.out, io);
  return run.verdict.exitCode;
}

// ------------------------------------------------------------------------------------------------- deploy

interface StackDoc {
  "//"?: { zonegate?: { stack?: string }; metadata?: { stackName?: string } };
  data?: { terraform_remote_state?: Record<string, unknown> };
}

/** Stack → stacks it depends on (remote-state inputs and the CDKTF manifest). */
export function stackDependencies(outdir: string): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const file of findStackFiles(outdir).files) {
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as StackDoc;
    const name = String(
      doc["//"]?.zonegate?.stack ?? doc["//"]?.metadata?.stackName ?? path.basename(path.dirname(file)),
    );
    const set = deps.get(name) ?? new Set<string>();
    for (const ds of Object.keys(doc.data?.terraform_remote_state ?? {})) {
      if (ds.startsWith(REMOTE_STATE_PREFIX)) set.add(ds.slice(REMOTE_STATE_PREFIX.length));
    }
    deps.set(name, set);
  }
  const manifest = path.join(outdir, "manifest.json");
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, "utf8")) as { stacks?: Record<string, { dependencies?: string[] }> };
    for (const [name, s] of Object.entries(m.stacks ?? {})) {
      const set = deps.get(name) ?? new Set<string>();
      for (const d of s.dependencies ?? []) set.add(d);
      deps.set(name, set);
    }
  }
  return deps;
}

/** The stacks plus everything they depend on, dependencies first. */
export function withDependencies(stacks: readonly string[], deps: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (s: string, trail: string[]) => {
    if (seen.has(s)) return;
    if (trail.includes(s)) throw new GateError(`stack dependency cycle: ${[...trail, s].join(" → ")}`);
    for (const d of deps.get(s) ?? []) visit(d, [...trail, s]);
    seen.add(s);
    order.push(s);
  };
  for (const s of stacks) {
    if (!deps.has(s)) throw new GateError(`unknown stack "${s}" (see \`zonegate synth\` output)`);
    visit(s, []);
  }
  return order;
}

interface DeployOptions {
  plan?: boolean;
  breakGlass?: boolean;
  reason?: string;
  tenants: string;
  out: string;
  waivers?: string;
  synthDir: string;
  auditLog: string;
}

export function appendBreakGlass(file: string, entry: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

const TERRAFORM = process.env.TERRAFORM_BINARY_NAME || "terraform";

/**
 * What `cdktf plan/deploy` will need, checked before anything is synthesized or spawned: a missing
 * Terraform or subscription otherwise surfaces as cdktf's own noise after a full synth.
 */
export function deployPreflight(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const terraform = env.TERRAFORM_BINARY_NAME || "terraform";
  if (!findExecutable(terraform, env)) {
    problems.push(
      `Terraform is not installed: \`${terraform}\` not found on PATH (install Terraform ≥ 1.5, or set TERRAFORM_BINARY_NAME)`,
    );
  }
  if (!(env.ARM_SUBSCRIPTION_ID ?? "").trim()) {
    problems.push(
      "no Azure subscription: ARM_SUBSCRIPTION_ID is not set (azurerm 4.x requires it; log in with OIDC " +
        "(ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID) or `az login` + ARM_USE_CLI=true — see docs/deploying.md)",
    );
  }
  return problems;
}

async function deploy(stacks: string[], o: DeployOptions, io: Io): Promise<number> {
  if (o.breakGlass && !(o.reason ?? "").trim()) throw new GateError('--break-glass needs a non-empty --reason "…"');
  if (!o.breakGlass && o.reason) throw new GateError("--reason is only used with --break-glass");
  const missing = deployPreflight();
  if (missing.length) {
    throw new GateError(
      `deploy cannot run here — nothing was synthesized, gated or deployed:\n${missing.map((m) => `  - ${m}`).join("\n")}\n` +
        "  (to check stacks without deploying: `npm run zonegate -- run`, or `npm run gate`)",
    );
  }
  await synth(o.tenants, o.synthDir, io);
  const targets = withDependencies(stacks, stackDependencies(o.synthDir));
  io.out(`deploy: ${targets.join(", ")}${targets.length > stacks.length ? " (with dependencies)" : ""}`);
  let run: GateRun;
  let verdict: Verdict;
  if (o.plan) {
    const plans: string[] = [];
    const planStacks: Record<string, string> = {};
    for (const s of targets) {
      const r = await runProcess("npx", ["cdktf", "plan", s, "--skip-synth"], {});
      if (r.code !== 0) throw new GateError(`cdktf plan ${s} failed (exit ${r.code})`);
      const dir = path.join(o.synthDir, "stacks", s);
      const shown = await runProcess(TERRAFORM, ["show", "-json", "plan"], { cwd: dir, capture: true });
      if (shown.code !== 0)
        throw new GateError(`terraform show -json plan in ${dir} failed: ${shown.stderr.trim().split("\n")[0]}`);
      const file = path.join(dir, "plan.json");
      fs.writeFileSync(file, shown.stdout);
      plans.push(file);
      planStacks[file] = s;
    }
    // Each plan gets the tenant context of its synthesized stack.
    const synthModel = normalizeSynth(o.synthDir);
    const byStack = new Map(synthModel.stacks.map((s) => [s.name, s]));
    const perStack: GateRun[] = [];
    for (const file of plans) {
      const st = byStack.get(planStacks[file]);
      perStack.push(
        await runGate({
          plans: [file],
          planStacks,
          tenant: st?.tenant ?? null,
          contexts: st?.context ? { [st.name]: st.context } : {},
          waivers: o.waivers,
        }),
      );
    }
    run = mergeRuns(perStack);
    verdict = run.verdict;
  } else {
    // Gate the whole estate (estate-scope rules run), decide on the stacks being deployed.
    run = await runGate({ synth: o.synthDir, waivers: o.waivers });
    verdict = restrictVerdict(run.verdict, new Set(targets));
  }
  emit(run, verdict, ["table", "json", "sarif", "junit", "markdown"], o.out, io);
  if (verdict.exitCode !== 0) {
    if (!o.breakGlass) {
      io.err("deploy: gate failed — nothing deployed (fix the findings, add a waiver, or use --break-glass --reason)");
      return verdict.exitCode;
    }
    const who = process.env.GITHUB_ACTOR || process.env.USER || "unknown";
    const bar = "!".repeat(78);
    io.err(
      `${bar}\n!! BREAK-GLASS DEPLOY by ${who}: ${verdict.totals.violations} mandatory violation(s) overridden\n!! reason: ${o.reason}\n!! recorded in ${o.auditLog}\n${bar}`,
    );
    appendBreakGlass(o.auditLog, {
      who,
      when: new Date().toISOString(),
      stacks: targets,
      reason: o.reason,
      findings: verdict.findings
        .filter((f) => f.status === "violation")
        .map((f) => ({ rule: f.rule, key: f.key, severity: f.severity, message: f.message })),
    });
  }
  const r = await runProcess("npx", ["cdktf", "deploy", ...targets, "--auto-approve", "--skip-synth"], {});
  if (r.code !== 0) {
    io.err(`deploy: cdktf deploy failed (exit ${r.code})`);
    return 2;
  }
  io.out(`deploy: ${targets.length} stack(s) deployed`);
  return 0;
}

function mergeRuns(runs: readonly GateRun[]): GateRun {
  const first = runs[0];
  const findings = runs.flatMap((r) => r.verdict.findings);
  const stacks = runs.flatMap((r) => r.verdict.stacks);
  const sum = (k: keyof Verdict["totals"]) => runs.reduce((a, r) => a + r.verdict.totals[k], 0);
  const violations = sum("violations");
  const verdict: Verdict = {
    ...first.verdict,
    exitCode: violations > 0 ? 1 : 0,
    pass: violations === 0,
    findings,
    stacks,
    warnings: [...new Set(runs.flatMap((r) => r.verdict.warnings))],
    unusedWaivers: first.verdict.unusedWaivers.filter((w) =>
      runs.every((r) => r.verdict.unusedWaivers.some((x) => x.line === w.line)),
    ),
    totals: {
      ...first.verdict.totals,
      stacks: sum("stacks"),
      resources: sum("resources"),
      violations,
      advisories: sum("advisories"),
      waived: sum("waived"),
      expiredWaivers: sum("expiredWaivers"),
    },
  };
  return {
    verdict,
    inputs: {
      resources: runs.flatMap((r) => r.inputs.resources),
      complete: false,
      stacks: runs.flatMap((r) => r.inputs.stacks),
      warnings: runs.flatMap((r) => r.inputs.warnings),
    },
  };
}

// ------------------------------------------------------------------------------------------------- program

export function buildProgram(io: Io, setCode: (c: number) => void): Command {
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
      const tenants = await validate(o.tenants, io);
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
      await synth(o.tenants, o.out, io, o.cache);
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
    .option("--no-cache", `evaluate every stack again: do not use or update ${CACHE_DIR}/gate`)
    .addOption(tenantsOpt())
    .action(async (o: GateCliOptions) => setCode(await gate(o, io)));

  program
    .command("run")
    .description("validate → synth → gate every stack; reports in reports/ (what `npm start` runs)")
    .addOption(tenantsOpt())
    .option("--synth-dir <dir>", "synth output directory", "cdktf.out")
    .option("--out <dir>", "reports directory", "reports")
    .option("--waivers <file>", "waiver file (default waivers.yaml when present)")
    .option("--no-cache", `full synth and gate: do not use or update ${CACHE_DIR}/`)
    .action(async (o: { tenants: string; synthDir: string; out: string; waivers?: string; cache: boolean }) => {
      const synthed = await synth(o.tenants, o.synthDir, io, o.cache);
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
        synthed,
      );
      setCode(code);
    });

  program
    .command("deploy")
    .description("synth → gate → cdktf deploy, only when the gate passes")
    .argument("<stacks...>", "stack names")
    .option("--plan", "gate `cdktf plan` output (terraform show -json) instead of the synth output")
    .option("--break-glass", "deploy despite mandatory violations (needs --reason; audited)")
    .option("--reason <text>", "why break-glass is needed")
    .option("--waivers <file>", "waiver file")
    .option("--out <dir>", "reports directory", "reports")
    .option("--synth-dir <dir>", "synth output directory", "cdktf.out")
    .option("--audit-log <file>", "break-glass audit log", path.join("audit", "break-glass.log"))
    .addOption(tenantsOpt())
    .action(async (stacks: string[], o: DeployOptions) => setCode(await deploy(stacks, o, io)));

  registerReport(program, io, setCode);
  return program;
}

/** Run the CLI; returns the exit code (never throws). */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        return 0;
      return 2;
    }
    if (e instanceof GateError) {
      io.err(`zonegate: ${e.message}`);
      return e.exitCode;
    }
    io.err(`zonegate: ${(e as Error)?.message ?? String(e)}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  });
}
