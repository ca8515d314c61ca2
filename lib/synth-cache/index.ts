/**
 * Incremental, parallel synth of the estate: `cdktf.out` assembled from per-unit cache entries.
 *
 * Units are one tenant (all its stacks) or one env × region platform stack, each keyed by a content hash of
 * everything that can change it (lib/synth-cache/keys.ts). Units whose entry is missing or damaged are
 * rebuilt — by worker processes (each synthesizing a subset of tenants into its own outdir, lib/synth-cache/build.ts)
 * or in-process when few are dirty — and the output directory is assembled from the entries with one cdktf
 * `manifest.json` listing every stack. An entry is used only when its key matches and every file it
 * recorded is present with the recorded hash, so the cache never serves stale or damaged output.
 *
 * The estate module (stacks/app.ts, with the provider bindings) is passed in (`estate`) and loaded only when a
 * unit is built in this process; worker processes (./build.ts) load it themselves.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Manifest, type StackManifest } from "cdktf/lib/manifest";
import type { Tenant } from "../tenant/types";
import { formatProblems, loadTenants } from "../tenant/load";
import { runBuildJob, type BuildJob, type EstateBuilder, type UnitRecord } from "./job";
import { CACHE_FORMAT, codeHash, envRegionsOf, planUnits, tenantFileHashes, type SynthUnit } from "./keys";
import { FileVerifier } from "./verified";
import { killPoint } from "../faults";
import { registerChild } from "../lifecycle";
import { fsyncDir, fsyncFile, fsyncTree, sweepStale } from "../fs/atomic";

export { codeHash, planUnits, tenantFileHashes, type SynthUnit } from "./keys";
export type { EstateBuilder, UnitRecord } from "./job";

export interface IncrementalSynthOptions {
  readonly tenantsDir: string;
  /** The tenants of `tenantsDir`, when the caller has just loaded and validated them (not loaded again). */
  readonly tenants?: readonly Tenant[];
  readonly outdir: string;
  /**
   * The estate (stacks/app.ts) for units built in this process; called only when one is (worker processes
   * load it themselves), so a fully cached synth never loads the provider bindings.
   */
  readonly estate: () => EstateBuilder | Promise<EstateBuilder>;
  /** @default `<root>/.zonegate-cache/synth` */
  readonly cacheDir?: string;
  /** Worker processes. @default min(2, cpus) */
  readonly workers?: number;
  /** Build in this process when at most this many units are dirty (no worker start-up). @default 2 */
  readonly inProcessMax?: number;
  /**
   * Most work one worker process takes (tenant env × region units, 6 stacks each; a platform unit counts 1):
   * bigger estates are split into more jobs than workers, `workers` at a time, so that no process holds more
   * than this many stacks' constructs (≈ 1 GB at 200). @default 200
   */
  readonly maxJobLoad?: number;
  /** Root whose code is hashed into the keys. @default process.cwd() */
  readonly root?: string;
  /** Extra key input (tests inject a "code change" with it). */
  readonly extraKey?: readonly string[];
  /** Delete cache entries this estate no longer uses. @default true */
  readonly prune?: boolean;
  readonly onLog?: (line: string) => void;
}

export interface IncrementalSynthResult {
  readonly outdir: string;
  readonly units: number;
  readonly rebuilt: readonly string[];
  readonly reused: readonly string[];
  readonly stacks: number;
  readonly totalResources: number;
  readonly resourcesPerStack: Readonly<Record<string, number>>;
  readonly timings: { readonly planMs: number; readonly buildMs: number; readonly assembleMs: number };
  /** Peak RSS of each worker process (MB). */
  readonly workerRssMB: readonly number[];
  /** Every unit in estate order: id, cache key, its stacks (build order), whether it was rebuilt. */
  readonly unitList: readonly { id: string; key: string; stacks: readonly string[]; rebuilt: boolean }[];
  /** The code hash mixed into every key (constructs, stacks, lib, policy data, lockfile, …). */
  readonly codeHash: string;
}

/** `<dir>/manifest.json` written by cdktf's own Manifest writer, byte for byte what `app.synth()` writes. */
function writeCdktfManifest(dir: string, version: string, stacks: Readonly<Record<string, unknown>>): void {
  const m = new Manifest(version, dir, false);
  Object.assign(m.stacks, stacks as Record<string, StackManifest>);
  m.writeToFile();
}

function readEntry(cacheDir: string, unit: SynthUnit, verifier: FileVerifier): UnitRecord | undefined {
  const dir = path.join(cacheDir, unit.key);
  const file = path.join(dir, "unit.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    const rec = JSON.parse(fs.readFileSync(file, "utf8")) as UnitRecord;
    if (rec.format !== CACHE_FORMAT || rec.key !== unit.key || rec.id !== unit.id) return undefined;
    for (const [f, h] of Object.entries(rec.files)) {
      const p = path.join(dir, "stacks", f);
      if (!verifier.verify(p, h)) return undefined;
    }
    // Every file present was recorded (nothing injected next to them).
    for (const name of rec.order) {
      for (const f of fs.readdirSync(path.join(dir, "stacks", name)))
        if (!(`${name}/${f}` in rec.files)) return undefined;
    }
    return rec;
  } catch {
    return undefined;
  }
}

/** A unit's files by stack: stack name → (path in the stack directory → sha256). */
function filesByStack(rec: UnitRecord): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [f, h] of Object.entries(rec.files)) {
    const i = f.indexOf("/");
    const name = f.slice(0, i);
    const m = out.get(name) ?? new Map<string, string>();
    m.set(f.slice(i + 1), h);
    out.set(name, m);
  }
  return out;
}

/** `<out>/stacks` when the output is a real directory tree whose stack directories may be reused. */
function reusableStacksDir(out: string): string | undefined {
  try {
    if (!fs.lstatSync(out).isDirectory()) return undefined;
    const stacks = path.join(out, "stacks");
    return fs.lstatSync(stacks).isDirectory() ? stacks : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Does `dir` (a real directory) hold exactly `files` (relative path → sha256): nothing missing, nothing
 * else (no other file, link or directory), every file with its hash?
 */
function holdsExactly(dir: string, files: ReadonlyMap<string, string>, verifier: FileVerifier): boolean {
  const dirs = new Set<string>();
  for (const f of files.keys()) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  let seen = 0;
  const walk = (rel: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!dirs.has(r) || !walk(r)) return false;
      } else if (e.isFile()) {
        const h = files.get(r);
        if (h === undefined || !verifier.verify(path.join(dir, r), h)) return false;
        seen++;
      } else return false;
    }
    return true;
  };
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false;
  } catch {
    return false;
  }
  return walk("") && seen === files.size;
}

function runWorker(jobFile: string): Promise<{ maxRssMB: number }> {
  return new Promise((resolve, reject) => {
    // The worker beside this file: build.js under the compiled CLI (plain node), build.ts from the sources (tsx).
    const compiled = __filename.endsWith(".js");
    const script = path.join(__dirname, compiled ? "build.js" : "build.ts");
    const args = compiled ? [script, jobFile] : ["--import", "tsx", script, jobFile];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    registerChild(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0)
        return reject(
          new Error(
            `synth worker failed (${signal ? `killed by ${signal}` : `exit ${code}`}): ${err.trim().split("\n").slice(0, 8).join("\n")}`,
          ),
        );
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as { maxRssMB: number });
      } catch {
        resolve({ maxRssMB: 0 });
      }
    });
  });
}

/** Split dirty units into at most `n` jobs of about equal work (stacks ≈ env × region count). */
export function partition(
  dirty: readonly SynthUnit[],
  tenants: readonly Tenant[],
  n: number,
  tenantsDir: string,
  cacheDir: string,
  maxLoad = Infinity,
): BuildJob[] {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const weight = (u: SynthUnit) => (u.kind === "tenant" ? envRegionsOf(byId.get(u.tenant!)!).length : 1);
  const total = dirty.reduce((a, u) => a + weight(u), 0);
  n = Math.max(n, Math.ceil(total / maxLoad));
  const jobs = Array.from({ length: Math.max(1, n) }, () => ({
    tenants: {} as Record<string, string>,
    context: new Set<string>(),
    platforms: {} as Record<string, string>,
    load: 0,
  }));
  const tenantUnits = dirty
    .filter((u) => u.kind === "tenant")
    .sort((a, b) => weight(b) - weight(a) || a.id.localeCompare(b.id));
  for (const u of tenantUnits) {
    const j = jobs.reduce((a, b) => (b.load < a.load ? b : a));
    j.tenants[u.tenant!] = u.key;
    j.load += weight(u);
  }
  for (const u of dirty.filter((x) => x.kind === "platform")) {
    const consumers = tenants
      .filter((t) => t.tier === "standard" && envRegionsOf(t).some((er) => er.env === u.env && er.region === u.region))
      .map((t) => t.id);
    // Prefer a job that already builds a consumer (the platform stack's outputs come from its consumers).
    const j =
      jobs.find((x) => consumers.some((c) => c in x.tenants)) ?? jobs.reduce((a, b) => (b.load < a.load ? b : a));
    if (!consumers.some((c) => c in j.tenants)) j.context.add(consumers[0]);
    j.platforms[`${u.env}:${u.region}`] = u.key;
    j.load += 1;
  }
  return jobs
    .filter((j) => Object.keys(j.tenants).length + Object.keys(j.platforms).length > 0)
    .map((j) => ({ tenantsDir, cacheDir, tenants: j.tenants, context: [...j.context], platforms: j.platforms }));
}

/** Synthesize the estate of `tenantsDir` into `outdir`, rebuilding only units whose inputs changed. */
export async function synthIncremental(opts: IncrementalSynthOptions): Promise<IncrementalSynthResult> {
  const log = opts.onLog ?? (() => undefined);
  const root = path.resolve(opts.root ?? process.cwd());
  const cacheDir = path.resolve(opts.cacheDir ?? path.join(root, ".zonegate-cache", "synth"));
  fs.mkdirSync(cacheDir, { recursive: true });
  const t0 = performance.now();
  let tenants = opts.tenants;
  if (!tenants) {
    const loaded = loadTenants(opts.tenantsDir);
    // Warnings do not stop a synth (the CLI's validate prints them); errors do.
    const errors = loaded.problems.filter((p) => p.severity !== "warning");
    if (errors.length > 0) throw new Error(`tenant validation failed:\n${formatProblems(errors)}`);
    tenants = loaded.tenants;
  }
  const code = codeHash({ root, extra: opts.extraKey }).hash;
  const units = planUnits(tenants, tenantFileHashes(opts.tenantsDir, tenants), code);
  const records = new Map<string, UnitRecord>();
  const dirty: SynthUnit[] = [];
  // Content hashes of files unchanged since an earlier run are trusted by their exact stat (./verified.ts).
  const verifier = new FileVerifier(path.join(cacheDir, ".verified.json"));
  for (const u of units) {
    const rec = readEntry(cacheDir, u, verifier);
    if (rec) records.set(u.id, rec);
    else dirty.push(u);
  }
  const t1 = performance.now();
  log(`synth-cache: ${units.length} units, ${dirty.length} to build, ${units.length - dirty.length} cached`);
  const workerRssMB: number[] = [];
  if (dirty.length > 0) {
    const inProcess = dirty.length <= (opts.inProcessMax ?? 2) || (opts.workers ?? 2) <= 1;
    const n = inProcess ? 1 : Math.max(1, Math.min(opts.workers ?? Math.min(2, os.cpus().length), dirty.length));
    const maxLoad = inProcess ? Infinity : (opts.maxJobLoad ?? 200);
    const jobs = partition(dirty, tenants, n, path.resolve(opts.tenantsDir), cacheDir, maxLoad);
    if (inProcess) {
      const estate = await opts.estate();
      for (const j of jobs) await runBuildJob(j, estate, tenants);
    } else {
      const jobDir = fs.mkdtempSync(path.join(cacheDir, ".jobs-"));
      try {
        // At most `n` workers at a time; each takes the next job when it finishes one.
        let next = 0;
        const results: { maxRssMB: number }[] = [];
        const lane = async (): Promise<void> => {
          while (next < jobs.length) {
            const i = next++;
            const f = path.join(jobDir, `job-${i}.json`);
            fs.writeFileSync(f, JSON.stringify(jobs[i]));
            results[i] = await runWorker(f);
          }
        };
        await Promise.all(Array.from({ length: n }, lane));
        for (const r of results) workerRssMB.push(r.maxRssMB);
      } finally {
        fs.rmSync(jobDir, { recursive: true, force: true });
      }
    }
    for (const u of dirty) {
      const rec = readEntry(cacheDir, u, verifier);
      if (!rec) throw new Error(`synth-cache: unit ${u.id} was not built`);
      records.set(u.id, rec);
    }
  }
  const t2 = performance.now();
  killPoint("synth-built");
  // Assemble next to the target and swap in: a failure never leaves half an estate. A stack directory the
  // current output already holds with exactly the entry's files (each verified against the entry's hash)
  // moves over instead of being copied again; every other one is copied from its entry.
  const out = path.resolve(opts.outdir);
  const staging = `${out}.tmp-${process.pid}`;
  // Leftovers of killed runs (`<out>.tmp-<pid>` / `<out>.old-<pid>` of processes that are gone).
  for (const f of sweepStale(out)) log(`synth-cache: removed ${path.basename(f)} left by a killed run`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, "stacks"), { recursive: true });
  const manifestStacks: Record<string, unknown> = {};
  const resourcesPerStack: Record<string, number> = {};
  let version = "";
  let total = 0;
  const current = reusableStacksDir(out);
  const moved: string[] = [];
  const copied: string[] = [];
  const stackCount = units.reduce((a, u) => a + records.get(u.id)!.order.length, 0);
  let placed = 0;
  try {
    for (const u of units) {
      const rec = records.get(u.id)!;
      version ||= rec.manifestVersion;
      const byStack = filesByStack(rec);
      for (const name of rec.order) {
        if (name in manifestStacks) throw new Error(`synth-cache: stack ${name} is in two units`);
        const dest = path.join(staging, "stacks", name);
        if (current && holdsExactly(path.join(current, name), byStack.get(name) ?? new Map(), verifier)) {
          fs.renameSync(path.join(current, name), dest);
          moved.push(name);
        } else {
          fs.cpSync(path.join(cacheDir, u.key, "stacks", name), dest, { recursive: true });
          copied.push(dest);
        }
        manifestStacks[name] = rec.stacks[name];
        resourcesPerStack[name] = rec.resources[name] ?? 0;
        total += resourcesPerStack[name];
        if (++placed === Math.ceil(stackCount / 2)) killPoint("assemble");
      }
    }
    // Byte for byte what cdktf writes (its Manifest class: json-stable-stringify, 2 spaces, no final newline).
    writeCdktfManifest(staging, version, manifestStacks);
    // Durable before it becomes visible: a crash after the swap never exposes unwritten blocks (moved stack
    // directories were durable already; copied ones and the manifest are synced here).
    for (const d of copied) fsyncTree(d);
    fsyncFile(path.join(staging, "manifest.json"));
    fsyncDir(path.join(staging, "stacks"));
    fsyncDir(staging);
    killPoint("manifest");
  } catch (e) {
    // Put back what was moved: the previous output stays whole.
    for (const name of moved) {
      try {
        fs.renameSync(path.join(staging, "stacks", name), path.join(current!, name));
      } catch {
        // nothing more to do
      }
    }
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (fs.existsSync(out)) {
    const old = `${out}.old-${process.pid}`;
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(out, old);
    killPoint("swap");
    fs.renameSync(staging, out);
    fsyncDir(path.dirname(out));
    killPoint("swapped");
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(staging, out);
    fsyncDir(path.dirname(out));
  }
  verifier.save();
  if (opts.prune !== false) {
    const used = new Set(units.map((u) => u.key));
    for (const e of fs.readdirSync(cacheDir))
      if (!used.has(e) && !e.startsWith(".")) fs.rmSync(path.join(cacheDir, e), { recursive: true, force: true });
  }
  const t3 = performance.now();
  return {
    outdir: out,
    units: units.length,
    rebuilt: dirty.map((u) => u.id),
    reused: units.filter((u) => !dirty.includes(u)).map((u) => u.id),
    stacks: Object.keys(manifestStacks).length,
    totalResources: total,
    resourcesPerStack,
    timings: { planMs: t1 - t0, buildMs: t2 - t1, assembleMs: t3 - t2 },
    workerRssMB,
    unitList: units.map((u) => ({
      id: u.id,
      key: u.key,
      stacks: [...records.get(u.id)!.order],
      rebuilt: dirty.includes(u),
    })),
    codeHash: code,
  };
}
