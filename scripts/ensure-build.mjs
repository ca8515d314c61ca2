#!/usr/bin/env node
/**
 * Keeps the compiled CLI (dist/, `npm run build`) in step with its sources; the npm scripts run it before
 * `node dist/lib/cli/zonegate.js`, so a fresh clone or an edited source is built first and an unchanged tree
 * costs one directory walk (a few tens of ms).
 *
 *   node scripts/ensure-build.mjs            build when stale (quiet when fresh)
 *   node scripts/ensure-build.mjs --force    build now (`npm run build`)
 *   node scripts/ensure-build.mjs --check    exit 1 when stale, build nothing
 *
 * Stale = no stamp (dist/.build-stamp.json), a source file newer than the stamp, a source added or removed
 * since the last build (then dist/ is emptied first, so no compiled orphan is left behind), or a missing
 * entry. Sources: what tsconfig.build.json compiles (lib/, stacks/, constructs/ and the JSON they import:
 * policies/data/residency.json) and the build's own inputs (tsconfig*.json, package.json, package-lock.json).
 * Assets the CLI reads at run time (lib/report/html/*.eta|css|js, policies/) are not compiled: they are read
 * from the package root (lib/pkg-root.ts), so they are never stale. Builds take a lock (dist.lock/)
 * so concurrent runs neither build twice nor read half-written output.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".build-stamp.json");
const ENTRY = path.join(DIST, "lib", "cli", "zonegate.js");
const LOCK = path.join(ROOT, "dist.lock");
const SOURCE_DIRS = ["lib", "stacks", "constructs"];
// The JSON outside those directories that the code imports (tsc copies it into dist/) and the build's inputs.
const SOURCE_FILES = [
  "policies/data/residency.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
const SOURCE_EXT = /\.(ts|json)$/;

function walk(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (SOURCE_EXT.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
}

/** Source files with their modification times (ms). */
function sources() {
  const files = [];
  for (const d of SOURCE_DIRS) walk(path.join(ROOT, d), files);
  for (const f of SOURCE_FILES) if (fs.existsSync(path.join(ROOT, f))) files.push(path.join(ROOT, f));
  return files
    .sort()
    .map((f) => ({ rel: path.relative(ROOT, f).split(path.sep).join("/"), mtimeMs: fs.statSync(f).mtimeMs }));
}

/** Why dist/ is stale, or null when it is fresh. */
export function staleness() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return { reason: "not built yet", clean: true };
  }
  if (!fs.existsSync(ENTRY)) return { reason: `${path.relative(ROOT, ENTRY)} is missing`, clean: true };
  const now = sources();
  const list = now.map((s) => s.rel);
  if (JSON.stringify(list) !== JSON.stringify(stamp.files ?? [])) {
    const before = new Set(stamp.files ?? []);
    const after = new Set(list);
    const added = list.filter((f) => !before.has(f));
    const removed = [...before].filter((f) => !after.has(f));
    return {
      reason: `sources added/removed (${[...added.map((f) => `+${f}`), ...removed.map((f) => `-${f}`)].slice(0, 3).join(", ")})`,
      clean: true,
    };
  }
  const built = fs.statSync(STAMP).mtimeMs;
  const changed = now.filter((s) => s.mtimeMs > built);
  // A changed build configuration may change what is emitted where: start from an empty dist/.
  const config = changed.some((s) => /^(tsconfig[^/]*|package)\.json$/.test(s.rel));
  if (changed.length) return { reason: `${changed.length} source(s) changed (${changed[0].rel}…)`, clean: config };
  return null;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Take dist.lock/ (mkdir is atomic); a lock whose owner is gone is taken over. */
function lock() {
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      return () => fs.rmSync(LOCK, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(LOCK, "pid"), "utf8"));
    } catch {
      // being created or removed right now
    }
    let alive = true;
    if (Number.isInteger(owner) && owner > 0) {
      try {
        process.kill(owner, 0);
      } catch (e) {
        alive = e.code === "EPERM";
      }
    } else if (waited > 2000) alive = false;
    if (!alive) {
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (waited === 0) process.stderr.write(`build: waiting for another build (pid ${owner})\n`);
    sleep(200);
  }
}

function build(why) {
  const release = lock();
  try {
    // Another process may have built while this one waited for the lock.
    const s = why.force ? why : staleness();
    if (!s) return 0;
    process.stderr.write(`build: compiling the CLI into dist/ (${s.reason})…\n`);
    const files = sources();
    if (s.clean) fs.rmSync(DIST, { recursive: true, force: true });
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (r.status !== 0) {
      process.stderr.write(`build: tsc failed (exit ${r.status ?? r.signal}); dist/ not updated\n`);
      fs.rmSync(STAMP, { force: true });
      return 2;
    }
    fs.chmodSync(ENTRY, 0o755);
    // The stamp's own mtime is the build time: a source saved during the build counts as changed next time.
    const started = Date.now() - (performance.now() - t0);
    fs.writeFileSync(STAMP, `${JSON.stringify({ files: files.map((f) => f.rel) })}\n`);
    fs.utimesSync(STAMP, new Date(started), new Date(started));
    process.stderr.write(`build: dist/ is up to date (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    return 0;
  } finally {
    release();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--check")) {
    const s = staleness();
    if (s) process.stderr.write(`build: dist/ is stale: ${s.reason} (npm run build)\n`);
    process.exit(s ? 1 : 0);
  }
  const s = args.includes("--force") ? { reason: "npm run build", clean: true, force: true } : staleness();
  process.exit(s ? build(s) : 0);
}
