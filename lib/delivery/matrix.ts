/**
 * The deployment matrix: which stacks to deploy, in which ring, in which GitHub environment.
 *
 * Rings (each ring starts only when the previous one succeeded):
 *   0 `dev`             — every dev and staging environment of every tenant in scope
 *   1 `prod-standard`   — prod of standard-tier tenants (after the shared platform clusters)
 *   2 `prod-premium`    — prod of premium-tier tenants
 *   3 `prod-enterprise` — prod of enterprise-tier tenants
 *
 * One entry per tenant × env × region: the six layer stacks in dependency order, deployed by one job
 * (so one job owns one state prefix; its concurrency group is that prefix). The shared platform cluster of
 * an env × region (`platform-<env>-<region>-compute`) is deployed once, by its own entry in the ring's
 * `platform` list, which the workflow runs *before* the ring's tenant entries — standard tenants' compute
 * layer (their namespace) lives on that cluster.
 *
 * Prod entries respect the tenant's change window: outside it they are moved to `deferred` with the next
 * window opening. A platform prod entry runs when at least one standard tenant of its env × region runs.
 * An emergency change (`ignoreChangeWindows`) deploys prod regardless of windows; entries record it. (Not
 * break-glass: break-glass means applying despite gate violations, lib/evidence/break-glass.ts.)
 *
 * Pure: no I/O, the clock is an argument; output order depends only on the tenant data.
 */
import { LAYERS, type Environment, type Layer, type Tenant, type Tier } from "../tenant/types";
import { formatLocal, windowStatus } from "./window";
import * as names from "../stack-names";
import { backendKeyPrefix, platformStackName } from "../stack-names";

export const TIERS: readonly Tier[] = ["standard", "premium", "enterprise"];
const ENV_ORDER: readonly Environment[] = ["dev", "staging", "prod"];

export interface Ring {
  readonly ring: number;
  /** Job-friendly name: `dev`, `prod-standard`, `prod-premium`, `prod-enterprise`. */
  readonly name: string;
  readonly envs: readonly Environment[];
  readonly tier?: Tier;
}

export const RINGS: readonly Ring[] = [
  { ring: 0, name: "dev", envs: ["dev", "staging"] },
  { ring: 1, name: "prod-standard", envs: ["prod"], tier: "standard" },
  { ring: 2, name: "prod-premium", envs: ["prod"], tier: "premium" },
  { ring: 3, name: "prod-enterprise", envs: ["prod"], tier: "enterprise" },
];

export type Scope = { kind: "all" } | { kind: "tenant"; ids: readonly string[] } | { kind: "tier"; tier: Tier };

/** Parses `all`, `tenant:<id>[,<id>…]` or `tier:<standard|premium|enterprise>`. */
export function parseScope(s: string): Scope {
  const v = s.trim();
  if (v === "" || v === "all") return { kind: "all" };
  const m = /^(tenant|tier):(.+)$/.exec(v);
  if (m && m[1] === "tenant") {
    const ids = m[2].split(",").map((x) => x.trim());
    const bad = ids.filter((id) => !/^[a-z][a-z0-9-]*$/.test(id));
    if (bad.length) throw new Error(`scope "${s}": invalid tenant id ${bad.map((b) => `"${b}"`).join(", ")}`);
    return { kind: "tenant", ids: [...new Set(ids)].sort() };
  }
  if (m && m[1] === "tier") {
    if (!(TIERS as readonly string[]).includes(m[2])) {
      throw new Error(`scope "${s}": tier must be one of ${TIERS.join(", ")}`);
    }
    return { kind: "tier", tier: m[2] as Tier };
  }
  throw new Error(`scope "${s}" is not one of: all, tenant:<id>[,<id>…], tier:<${TIERS.join("|")}>`);
}

export interface MatrixEntry {
  /** Tenant id, or `platform` for a shared-cluster entry. */
  readonly tenant: string;
  readonly tier: Tier | "platform";
  readonly env: Environment;
  readonly region: string;
  /** Stack names in deployment order. */
  readonly stacks: readonly string[];
  /** State keys of this entry live under `<backendKeyPrefix>/<layer>.tfstate`. */
  readonly backendKeyPrefix: string;
  readonly ring: number;
  /** GitHub environment: `prod-<tenant>` (protected), `dev`, `staging`. */
  readonly environment: string;
  /** Concurrency-group key: one state prefix (tenant + env + region). */
  readonly concurrency: string;
  /** Always true outside prod; for prod, whether `now` is inside the tenant's change window. */
  readonly inChangeWindow: boolean;
  /** When the current change window closes (prod, in window), ISO UTC. */
  readonly windowEnds?: string;
  /** Deployed outside its change window as an emergency change. */
  readonly emergencyChange?: boolean;
  /** Platform stacks this entry needs first (standard tenants' compute). */
  readonly needs?: readonly string[];
}

export interface DeferredEntry extends MatrixEntry {
  /** Next window opening, ISO UTC. */
  readonly nextWindowStart: string;
  /** Same instant in the tenant's time zone. */
  readonly nextWindowStartLocal: string;
  readonly timezone: string;
}

export interface RingPlan extends Ring {
  /** Shared platform clusters deployed before `entries`. */
  readonly platform: readonly MatrixEntry[];
  readonly entries: readonly MatrixEntry[];
}

export interface DeploymentMatrix {
  readonly generatedAt: string;
  readonly scope: string;
  readonly maxParallel: number;
  readonly rings: readonly RingPlan[];
  readonly deferred: readonly DeferredEntry[];
}

export interface MatrixOptions {
  readonly scope?: Scope;
  readonly now?: Date;
  readonly maxParallel?: number;
  /** Emergency change: prod entries are deployed regardless of change windows (and say so). */
  readonly ignoreChangeWindows?: boolean;
}

export { platformStackName } from "../stack-names";

export function stackName(tenant: string, env: Environment, region: string, layer: Layer): string {
  return names.stackName(tenant, env, region, layer);
}

export function githubEnvironment(tenant: string, env: Environment): string {
  return env === "prod" ? `prod-${tenant}` : env;
}

function scopeLabel(s: Scope): string {
  if (s.kind === "all") return "all";
  if (s.kind === "tenant") return `tenant:${s.ids.join(",")}`;
  return `tier:${s.tier}`;
}

function inScope(t: Tenant, s: Scope): boolean {
  if (s.kind === "all") return true;
  if (s.kind === "tenant") return s.ids.includes(t.id);
  return t.tier === s.tier;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the ringed matrix. Throws when a tenant-scope id is unknown or a change window is invalid. */
export function buildMatrix(tenants: readonly Tenant[], opts: MatrixOptions = {}): DeploymentMatrix {
  const scope = opts.scope ?? { kind: "all" };
  const now = opts.now ?? new Date();
  const maxParallel = opts.maxParallel ?? 4;
  if (!Number.isInteger(maxParallel) || maxParallel < 1) throw new Error(`max-parallel must be a positive integer`);

  if (scope.kind === "tenant") {
    const known = new Set(tenants.map((t) => t.id));
    const missing = scope.ids.filter((id) => !known.has(id));
    if (missing.length) throw new Error(`scope ${scopeLabel(scope)}: unknown tenant(s) ${missing.join(", ")}`);
  }

  if (tenants.some((t) => t.id === "platform")) {
    throw new Error(`tenant id "platform" is reserved for the shared platform clusters`);
  }
  const selected = tenants.filter((t) => inScope(t, scope)).sort((a, b) => byString(a.id, b.id));
  const deferred: DeferredEntry[] = [];

  const rings: RingPlan[] = RINGS.map((ring) => {
    const entries: MatrixEntry[] = [];
    for (const t of selected) {
      if (ring.tier && t.tier !== ring.tier) continue;
      const envs = ENV_ORDER.filter((e) => ring.envs.includes(e) && t.environments.includes(e));
      const regions = t.regions.map((r) => r.name).sort(byString);
      for (const env of envs) {
        for (const region of regions) {
          const prefix = backendKeyPrefix(t.id, env, region);
          const base = {
            tenant: t.id,
            tier: t.tier,
            env,
            region,
            stacks: LAYERS.map((l) => stackName(t.id, env, region, l)),
            backendKeyPrefix: prefix,
            ring: ring.ring,
            environment: githubEnvironment(t.id, env),
            concurrency: `${t.id}-${env}-${region}`,
            ...(t.tier === "standard" ? { needs: [platformStackName(env, region)] } : {}),
          };
          if (env !== "prod") {
            entries.push({ ...base, inChangeWindow: true });
            continue;
          }
          let status;
          try {
            status = windowStatus(t.changeWindow, now);
          } catch (e) {
            throw new Error(`tenant ${t.id} (${t.sourceFile}): ${(e as Error).message}`);
          }
          if (status.open) {
            entries.push({ ...base, inChangeWindow: true, windowEnds: status.current!.end.toISOString() });
          } else if (opts.ignoreChangeWindows) {
            entries.push({ ...base, inChangeWindow: false, emergencyChange: true });
          } else {
            deferred.push({
              ...base,
              inChangeWindow: false,
              nextWindowStart: status.next!.start.toISOString(),
              nextWindowStartLocal: formatLocal(status.next!.start, t.changeWindow.timezone),
              timezone: t.changeWindow.timezone,
            });
          }
        }
      }
    }

    // One platform entry per env × region that a standard tenant of this ring deploys to.
    const platformKeys = new Map<string, { env: Environment; region: string }>();
    for (const e of entries) if (e.tier === "standard") platformKeys.set(`${e.env}/${e.region}`, e);
    const platform: MatrixEntry[] = [...platformKeys.values()]
      .sort((a, b) => ENV_ORDER.indexOf(a.env) - ENV_ORDER.indexOf(b.env) || byString(a.region, b.region))
      .map(({ env, region }) => ({
        tenant: "platform",
        tier: "platform" as const,
        env,
        region,
        stacks: [platformStackName(env, region)],
        backendKeyPrefix: backendKeyPrefix(null, env, region),
        ring: ring.ring,
        environment: env === "prod" ? "prod-platform" : env,
        concurrency: `platform-${env}-${region}`,
        inChangeWindow: true,
      }));

    return { ...ring, platform, entries };
  });

  return {
    generatedAt: now.toISOString(),
    scope: scopeLabel(scope),
    maxParallel,
    rings,
    deferred,
  };
}

/** A GitHub Actions `strategy.matrix` value. */
export interface GithubMatrix {
  readonly include: readonly MatrixEntry[];
}

export function toGithubMatrix(entries: readonly MatrixEntry[]): GithubMatrix {
  return { include: entries };
}

/**
 * `$GITHUB_OUTPUT` lines for the deploy workflow: per ring `<name>` and `platform-<name>` (matrix JSON) and
 * `<name>-count`, `platform-<name>-count`; plus `prod-environments` (JSON list of the protected GitHub
 * environments the run will use), `max-parallel`, `deferred` (JSON list) and `deferred-count`.
 * Values are single-line JSON, so the plain `key=value` form is safe.
 */
export function githubOutputs(m: DeploymentMatrix): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of m.rings) {
    out[r.name] = JSON.stringify(toGithubMatrix(r.entries));
    out[`${r.name}-count`] = String(r.entries.length);
    out[`platform-${r.name}`] = JSON.stringify(toGithubMatrix(r.platform));
    out[`platform-${r.name}-count`] = String(r.platform.length);
  }
  const prodEnvs = m.rings.flatMap((r) => [...r.platform, ...r.entries]).filter((e) => e.env === "prod");
  out["prod-environments"] = JSON.stringify([...new Set(prodEnvs.map((e) => e.environment))].sort(byString));
  out["max-parallel"] = String(m.maxParallel);
  out["deferred"] = JSON.stringify(m.deferred);
  out["deferred-count"] = String(m.deferred.length);
  return out;
}

/** A Markdown summary (for `$GITHUB_STEP_SUMMARY` and humans). */
export function renderSummary(m: DeploymentMatrix): string {
  const lines = [
    `## Deployment matrix`,
    ``,
    `Scope \`${m.scope}\` at ${m.generatedAt}, max-parallel ${m.maxParallel}.`,
    ``,
  ];
  lines.push(`| ring | job | entries | platform | stacks |`, `| --- | --- | --- | --- | --- |`);
  for (const r of m.rings) {
    const stacks = [...r.platform, ...r.entries].reduce((n, e) => n + e.stacks.length, 0);
    lines.push(`| ${r.ring} | deploy-${r.name} | ${r.entries.length} | ${r.platform.length} | ${stacks} |`);
  }
  const bg = m.rings.flatMap((r) => r.entries).filter((e) => e.emergencyChange);
  if (bg.length) {
    lines.push(
      ``,
      `**Emergency change:** ${bg.length} prod entr${bg.length === 1 ? "y" : "ies"} outside the change window:`,
    );
    for (const e of bg) lines.push(`- ${e.tenant} ${e.env} ${e.region}`);
  }
  if (m.deferred.length) {
    lines.push(``, `### Deferred (outside the change window)`, ``, `| tenant | env | region | next window |`);
    lines.push(`| --- | --- | --- | --- |`);
    for (const d of m.deferred) {
      lines.push(`| ${d.tenant} | ${d.env} | ${d.region} | ${d.nextWindowStartLocal} (${d.timezone}) |`);
    }
  }
  return lines.join("\n") + "\n";
}
