/**
 * What the CLI wires into the libraries it drives (issue 14: no hidden imports). The gate (lib/gate) is a
 * library that never imports the estate (stacks/), the constructs or the tenant loader: the CLI hands it the
 * tenant loader (for `--tenant`), the policy source hasher (the bundle freshness check) and the code hash, and
 * runs the synth itself — the full one (stacks/app.ts `synthEstate`) or the incremental one (lib/synth-cache,
 * given the estate for in-process builds).
 *
 * The estate and the synth cache load only when a synth runs (they pull in the provider bindings), and the tenant
 * loader only when tenants are read, so `--help` and `gate --plan … --residency` never load them. Tests pass
 * their own {@link CliWiring} (or part of one) to `main()`.
 */
import type { Tenant } from "../tenant/types";
import { formatProblems, type Problem } from "../tenant/problems";
import { computeSourceHashes } from "../gate/bundle-hash";
import type { IncrementalSynthOptions, IncrementalSynthResult } from "../synth-cache";

/** What the CLI reads of a tenant directory. */
export interface TenantLoad {
  readonly tenants: readonly Tenant[];
  readonly problems: readonly Problem[];
}

/** What the CLI reads of a full synth (stacks/app.ts `SynthResult`). */
export interface EstateSynth {
  readonly entries: readonly { readonly stackName: string; readonly tenantId: string | null }[];
  readonly resourcesPerStack: Readonly<Record<string, number>>;
}

/** A synth progress event (stacks/app.ts `SynthProgress`). */
export interface SynthProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface CliWiring {
  /** Load and validate the tenant files of a directory (lib/tenant/load.ts). */
  readonly loadTenants: (dir: string) => TenantLoad | Promise<TenantLoad>;
  /** One line per problem, `file:line:column: path: message`. */
  readonly formatProblems: (problems: readonly Problem[]) => string;
  /** sha256 of every policy source under `<root>/policies` (the bundle freshness check). */
  readonly hashSources: (root: string) => Record<string, string> | Promise<Record<string, string>>;
  /** Full synth of the estate into `outdir`. */
  readonly synthEstate: (
    tenants: readonly Tenant[],
    outdir: string,
    onProgress?: (p: SynthProgressEvent) => void,
  ) => EstateSynth | Promise<EstateSynth>;
  /** Incremental synth (lib/synth-cache); the estate for in-process builds is wired here. */
  readonly synthIncremental: (opts: Omit<IncrementalSynthOptions, "estate">) => Promise<IncrementalSynthResult>;
}

/** The real modules. */
export const defaultWiring: CliWiring = {
  // The tenant loader (YAML positions, JSON Schema, regex-safety checks) loads only when tenants are read.
  loadTenants: async (dir) => (await import("../tenant/load")).loadTenants(dir),
  formatProblems: (problems) => formatProblems(problems),
  hashSources: computeSourceHashes,
  synthEstate: async (tenants, outdir, onProgress) =>
    (await import("../../stacks/app")).synthEstate(tenants, outdir, onProgress),
  synthIncremental: async (opts) =>
    (await import("../synth-cache")).synthIncremental({ ...opts, estate: () => import("../../stacks/app") }),
};

/** The default wiring with some parts replaced (tests). */
export function wiring(over: Partial<CliWiring> = {}): CliWiring {
  return { ...defaultWiring, ...over };
}
