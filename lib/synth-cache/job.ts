/**
 * Synthesizing a subset of the estate into cache entries (run in a worker process or in-process).
 *
 * One CDKTF App holds the subset's tenants plus the platform stacks they (or an assigned platform unit)
 * need; a platform stack is always built with the full list of tenants of its env × region, so it is the
 * same stack a whole-estate synth makes. After `app.synth()`, each assigned unit's stack directories move
 * into `<cacheDir>/<key>/stacks/` with a `unit.json` (manifest entries, resource counts, file hashes);
 * stacks built only as context (e.g. a consumer that gives a platform stack its outputs) are discarded.
 *
 * The estate (stacks/app.ts) is passed in ({@link EstateBuilder}): this module imports no stack. The worker
 * process entry (./build.ts) and the CLI (lib/cli/wiring.ts, for in-process builds) wire it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import type { Tenant } from "../tenant/types";
import type { EstateOptions, EstateStackEntry, LayerDefinition, PlatformLayerContext } from "../../stacks/layer";
import { CACHE_FORMAT, envRegionsOf, sha256 } from "./keys";

/** What a build needs of the estate module (stacks/app.ts satisfies it). */
export interface EstateBuilder {
  /** The registered layer definitions, in build order. */
  registeredLayers(): readonly LayerDefinition[];
  /** Build every stack of `tenants` into `app`; the stacks in build order. */
  buildEstate(app: Construct, tenants: readonly Tenant[], options?: EstateOptions): readonly EstateStackEntry[];
  /** Managed resources in a synthesized `cdk.tf.json`. */
  countResources(tfJson: { resource?: Record<string, Record<string, unknown>> }): number;
}

export interface BuildJob {
  readonly tenantsDir: string;
  readonly cacheDir: string;
  /** Tenant units to build and save: tenant id → cache key. */
  readonly tenants: Readonly<Record<string, string>>;
  /** Tenants built only as context (not saved). */
  readonly context: readonly string[];
  /** Platform units to build and save: `<env>:<region>` → cache key. */
  readonly platforms: Readonly<Record<string, string>>;
}

export interface UnitRecord {
  readonly format: string;
  readonly id: string;
  readonly key: string;
  readonly manifestVersion: string;
  /** Stack name → the stack's entry in cdktf's manifest.json. */
  readonly stacks: Record<string, unknown>;
  /** Stack name → managed resources in its cdk.tf.json. */
  readonly resources: Record<string, number>;
  /** Stack-relative file path → sha256, to detect a damaged entry. */
  readonly files: Record<string, string>;
  /** Stack names in build (dependency) order. */
  readonly order: string[];
}

function filesUnder(dir: string, base = dir, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, base, out);
    else if (e.isFile()) out.push(path.relative(base, p).split(path.sep).join("/"));
  }
  return out;
}

/**
 * Build the job's units into the cache with the given estate; `tenants` are all the tenants of
 * `job.tenantsDir` (loaded and validated). Returns the unit ids saved.
 */
export async function runBuildJob(job: BuildJob, appMod: EstateBuilder, tenants: readonly Tenant[]): Promise<string[]> {
  const wanted = new Set([...Object.keys(job.tenants), ...job.context]);
  const subset = tenants.filter((t) => wanted.has(t.id));
  const needPlatform = new Set(Object.keys(job.platforms));
  for (const t of subset)
    if (t.tier === "standard") for (const { env, region } of envRegionsOf(t)) needPlatform.add(`${env}:${region}`);
  const all = tenants;
  const served = (env: string, region: string) =>
    all.filter((t) => t.environments.some((e) => e === env) && t.regions.some((r) => r.name === region));
  const layers = appMod.registeredLayers().map((def): LayerDefinition => {
    if (def.scope !== "platform") return def;
    return {
      ...def,
      build: (c: PlatformLayerContext) =>
        needPlatform.has(`${c.env}:${c.region}`) ? def.build({ ...c, tenants: served(c.env, c.region) }) : undefined,
    };
  });
  const outdir = fs.mkdtempSync(path.join(job.cacheDir, `.build-${process.pid}-`));
  try {
    // cdktf loads only when something is built (a run with nothing to build never needs it).
    const { App } = await import("cdktf");
    const app = new App({ outdir, stackTraces: false, skipValidation: false });
    // cdktf records a stack trace for every token it creates (used only in its error texts); with source
    // maps on (tsx turns them on) each one is mapped back to TypeScript, a large share of a small build.
    // Output is the same either way; the previous setting is restored.
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    let entries: readonly EstateStackEntry[];
    try {
      entries = appMod.buildEstate(app, subset, { layers });
      app.synth();
    } finally {
      process.setSourceMapsEnabled(sourceMaps);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
      version: string;
      stacks: Record<string, unknown>;
    };
    const saved: string[] = [];
    const save = (id: string, key: string, names: string[]) => {
      const final = path.join(job.cacheDir, key);
      if (fs.existsSync(final)) fs.rmSync(final, { recursive: true, force: true });
      const tmp = `${final}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(path.join(tmp, "stacks"), { recursive: true });
      const rec: UnitRecord = {
        format: CACHE_FORMAT,
        id,
        key,
        manifestVersion: manifest.version,
        stacks: {},
        resources: {},
        files: {},
        order: names,
      };
      for (const name of names) {
        const src = path.join(outdir, "stacks", name);
        fs.renameSync(src, path.join(tmp, "stacks", name));
        rec.stacks[name] = manifest.stacks[name];
        for (const f of filesUnder(path.join(tmp, "stacks", name))) {
          const buf = fs.readFileSync(path.join(tmp, "stacks", name, f));
          rec.files[`${name}/${f}`] = sha256(buf);
          if (f === "cdk.tf.json") rec.resources[name] = appMod.countResources(JSON.parse(buf.toString("utf8")));
        }
      }
      fs.writeFileSync(path.join(tmp, "unit.json"), JSON.stringify(rec));
      fs.renameSync(tmp, final);
      saved.push(id);
    };
    for (const [id, key] of Object.entries(job.tenants)) {
      save(
        `tenant:${id}`,
        key,
        entries.filter((e) => e.tenantId === id).map((e) => e.stackName),
      );
    }
    for (const [er, key] of Object.entries(job.platforms)) {
      const [env, region] = er.split(":");
      const names = entries
        .filter((e) => e.tenantId === null && e.env === env && e.region === region)
        .map((e) => e.stackName);
      save(`platform:${er}`, key, names);
    }
    return saved;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
