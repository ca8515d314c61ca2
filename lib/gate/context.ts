/**
 * Tenant context for inputs that carry none (plan JSON, HCL): `--tenant <id>` (looked up in tenants/)
 * or `--residency <zone> [--frameworks a,b] [--tier t] [--env e]`.
 */
import type { Environment, Framework, Tenant, Tier } from "../tenant/types";
import { isZone, zoneIds } from "../residency";
import type { TenantContext } from "./model";
import { GateError } from "./errors";

/**
 * Loads the tenants of a directory (lib/tenant/load.ts `loadTenants`, wired in by the CLI): the gate does not
 * import the tenant loader itself.
 */
export type TenantLoader = (
  dir: string,
) => { readonly tenants: readonly Tenant[] } | Promise<{ readonly tenants: readonly Tenant[] }>;

export interface ContextFlags {
  readonly tenant?: string;
  readonly residency?: string;
  /** Comma-separated list or array. */
  readonly frameworks?: string | readonly string[];
  readonly tier?: string;
  readonly env?: string;
  /** Where tenant files live (default `tenants`). */
  readonly tenantsDir?: string;
}

const FRAMEWORKS: readonly Framework[] = ["pci-dss-4.0", "gdpr", "sox"];
const TIERS: readonly Tier[] = ["standard", "premium", "enterprise"];
const ENVS: readonly Environment[] = ["dev", "staging", "prod"];

export const CONTEXT_HINT =
  "pass --tenant <id> (a tenant in tenants/) or --residency <zone> [--frameworks pci-dss-4.0,gdpr,sox] [--tier standard|premium|enterprise] [--env dev|staging|prod]";

function checkEnv(env: string | undefined): Environment | undefined {
  if (env === undefined) return undefined;
  if (!ENVS.includes(env as Environment)) throw new GateError(`--env must be one of ${ENVS.join(", ")} (got "${env}")`);
  return env as Environment;
}

/**
 * The context the flags describe, or null when none was given. `--tenant` needs `loadTenants` (without it,
 * `--tenant` is refused: the gate never guesses a tenant's context).
 */
export async function resolveTenantContext(
  flags: ContextFlags,
  loadTenants?: TenantLoader,
): Promise<TenantContext | null> {
  const env = checkEnv(flags.env);
  if (flags.tenant) {
    if (flags.residency) throw new GateError("pass either --tenant or --residency, not both");
    if (!loadTenants) throw new GateError("--tenant needs the tenant loader, which this caller did not provide");
    const { tenants } = await loadTenants(flags.tenantsDir ?? "tenants");
    const t = tenants.find((x) => x.id === flags.tenant);
    if (!t) {
      const ids = tenants.map((x) => x.id).join(", ") || "none";
      throw new GateError(`unknown tenant "${flags.tenant}" (valid tenants: ${ids}); run \`zonegate validate\``);
    }
    const chosen = env ?? (t.environments.includes("prod") ? "prod" : t.environments[t.environments.length - 1]);
    if (!t.environments.includes(chosen)) {
      throw new GateError(`tenant "${t.id}" has no ${chosen} environment (has ${t.environments.join(", ")})`);
    }
    return { id: t.id, tier: t.tier, residency: t.residency, compliance: [...t.frameworks], env: chosen };
  }
  if (flags.residency) {
    if (!isZone(flags.residency)) {
      throw new GateError(`unknown residency zone "${flags.residency}" (zones: ${zoneIds().join(", ")})`);
    }
    const list =
      typeof flags.frameworks === "string"
        ? flags.frameworks
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [...(flags.frameworks ?? [])];
    for (const f of list) {
      if (!FRAMEWORKS.includes(f as Framework)) {
        throw new GateError(`unknown framework "${f}" in --frameworks (known: ${FRAMEWORKS.join(", ")})`);
      }
    }
    const tier = flags.tier ?? "standard";
    if (!TIERS.includes(tier as Tier)) throw new GateError(`--tier must be one of ${TIERS.join(", ")} (got "${tier}")`);
    return {
      id: "adhoc",
      tier: tier as Tier,
      residency: flags.residency,
      compliance: list as Framework[],
      env: env ?? "prod",
    };
  }
  if (flags.frameworks || flags.tier) throw new GateError(`--frameworks/--tier need --residency: ${CONTEXT_HINT}`);
  return null;
}
