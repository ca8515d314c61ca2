/**
 * Late-bound access to modules other parts of zonegate own (tenant loader, estate synth, policy source
 * hashing). Loading them lazily keeps the gate usable on plan/HCL inputs even where those parts fail to
 * load, and turns a missing module into a clear "could not decide" error instead of a crash.
 */
import * as path from "node:path";
import type { Tenant } from "../tenant/types";
import { GateError } from "./errors";

export interface TenantProblemLike {
  readonly file?: string;
  readonly line?: number;
  readonly message?: string;
  readonly [k: string]: unknown;
}

export interface TenantLoadResult {
  readonly tenants: readonly Tenant[];
  readonly problems: readonly TenantProblemLike[];
}

interface TenantModule {
  loadTenants(dir: string): TenantLoadResult | Promise<TenantLoadResult>;
  formatProblems?(problems: readonly TenantProblemLike[], ...rest: unknown[]): string;
}

interface AppModule {
  synthEstate(tenants: readonly Tenant[], outdir: string, onProgress?: (ev: unknown) => void): unknown;
}

/** lib/synth-cache: the incremental, parallel synth (the CLI's default). */
export interface SynthCacheModule {
  synthIncremental(opts: {
    tenantsDir: string;
    tenants?: readonly Tenant[];
    outdir: string;
    cacheDir?: string;
    root?: string;
    inProcessMax?: number;
    onLog?: (line: string) => void;
  }): Promise<{
    readonly rebuilt: readonly string[];
    readonly reused: readonly string[];
    readonly resourcesPerStack: Readonly<Record<string, number>>;
    readonly unitList: readonly { id: string; key: string; stacks: readonly string[]; rebuilt: boolean }[];
    readonly codeHash: string;
    readonly timings: { readonly planMs: number; readonly buildMs: number; readonly assembleMs: number };
  }>;
}

interface BundleHashModule {
  computeSourceHashes(root: string): Record<string, string> | Promise<Record<string, string>>;
}

function load<T>(rel: string, what: string): T {
  const file = path.join(__dirname, rel);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0];
    throw new GateError(`cannot load ${what} (${path.relative(process.cwd(), file)}): ${msg}`);
  }
}

export function tenantModule(): TenantModule {
  const m = load<TenantModule>("../tenant/load", "the tenant loader");
  if (typeof m.loadTenants !== "function") throw new GateError("lib/tenant/load.ts does not export loadTenants");
  return m;
}

export async function loadTenants(dir: string): Promise<TenantLoadResult> {
  return await tenantModule().loadTenants(dir);
}

export function formatProblems(problems: readonly TenantProblemLike[]): string {
  const m = tenantModule();
  if (typeof m.formatProblems === "function") return m.formatProblems(problems);
  return problems
    .map((p) => `${p.file ?? "?"}${p.line ? `:${p.line}` : ""}: ${p.message ?? JSON.stringify(p)}`)
    .join("\n");
}

export function appModule(): AppModule {
  const m = load<AppModule>("../../stacks/app", "the estate (stacks/app.ts)");
  if (typeof m.synthEstate !== "function") throw new GateError("stacks/app.ts does not export synthEstate");
  return m;
}

export function synthCacheModule(): SynthCacheModule {
  const m = load<SynthCacheModule>("../synth-cache", "the incremental synth (lib/synth-cache)");
  if (typeof m.synthIncremental !== "function")
    throw new GateError("lib/synth-cache/index.ts does not export synthIncremental");
  return m;
}

export async function computeSourceHashes(root: string): Promise<Record<string, string>> {
  const m = load<BundleHashModule>("./bundle-hash", "the policy source hasher");
  if (typeof m.computeSourceHashes !== "function")
    throw new GateError("lib/gate/bundle-hash.ts does not export computeSourceHashes");
  return await m.computeSourceHashes(root);
}
