/**
 * The whole estate in one CDKTF App: tenants × env × region × layer, built from an ordered, extendable
 * list of layer definitions.
 *
 * The core four layers (foundation → network → security → audit) are registered here. Later layers
 * (compute with the shared platform cluster, edge) add themselves with {@link registerLayer} from their
 * own module; a definition is either tenant-scoped (one stack per tenant × env × region) or
 * platform-scoped (one stack per env × region, serving every tenant there, e.g.
 * `platform-<env>-<region>-compute`). A definition may return `undefined` to skip (e.g. dedicated compute
 * for a standard-tier tenant). Definitions run in {@link LAYERS} order, platform before tenant within a
 * layer, so a tenant stack can depend on its region's platform stack through {@link EstateIndex}.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import type { Construct } from "constructs";
import { LAYERS, type Environment, type Layer, type Tenant } from "../lib/tenant/types";
import type { BaseStack } from "./base-stack";
import { FoundationStack } from "./foundation-stack";
import { NetworkStack } from "./network-stack";
import { SecurityStack } from "./security-stack";
import { AuditStack } from "./audit-stack";
import { EstateIndex, type EstateOptions, type EstateStackEntry, type LayerDefinition } from "./layer";
import { platformComputeLayer } from "./platform-cluster-stack";
import { computeLayer } from "./compute-stack";
import { edgeLayer } from "./edge-stack";

// The layer vocabulary lives in stacks/layer.ts; re-exported for the estate's users.
export {
  EstateIndex,
  type EstateOptions,
  type EstateStackEntry,
  type LayerContextBase,
  type LayerDefinition,
  type PlatformLayerContext,
  type TenantLayerContext,
} from "./layer";

const stackOpts = (o: EstateOptions) => ({ backend: o.backend, env: o.env });

/** The layers this module owns. */
export const CORE_LAYERS: readonly LayerDefinition[] = [
  {
    scope: "tenant",
    layer: "foundation",
    build: (c) =>
      new FoundationStack(
        c.app,
        { tenant: c.tenant, env: c.env, region: c.region },
        { ...stackOpts(c.options), costCenter: c.options.costCenters?.[c.tenant.id] },
      ),
  },
  {
    scope: "tenant",
    layer: "network",
    build: (c) =>
      new NetworkStack(
        c.app,
        { tenant: c.tenant, env: c.env, region: c.region },
        { foundation: c.stack<FoundationStack>("foundation") },
        stackOpts(c.options),
      ),
  },
  {
    scope: "tenant",
    layer: "security",
    build: (c) =>
      new SecurityStack(
        c.app,
        { tenant: c.tenant, env: c.env, region: c.region },
        { foundation: c.stack<FoundationStack>("foundation"), network: c.stack<NetworkStack>("network") },
        stackOpts(c.options),
      ),
  },
  {
    scope: "tenant",
    layer: "audit",
    build: (c) =>
      new AuditStack(
        c.app,
        { tenant: c.tenant, env: c.env, region: c.region },
        {
          foundation: c.stack<FoundationStack>("foundation"),
          network: c.stack<NetworkStack>("network"),
          security: c.stack<SecurityStack>("security"),
        },
        { ...stackOpts(c.options), existingNetworkWatcher: c.options.networkWatcher?.(c.tenant, c.env, c.region) },
      ),
  },
];

const registry: LayerDefinition[] = [...CORE_LAYERS];

function sortKey(d: LayerDefinition): number {
  return LAYERS.indexOf(d.layer) * 2 + (d.scope === "platform" ? 0 : 1);
}

/**
 * Add a layer definition to the estate (compute, edge, …). Kept in LAYERS order, platform before tenant
 * within a layer, registration order otherwise. Registering the same scope × layer twice replaces it.
 */
export function registerLayer(def: LayerDefinition): void {
  const i = registry.findIndex((d) => d.layer === def.layer && d.scope === def.scope);
  if (i >= 0) registry.splice(i, 1);
  registry.push(def);
  registry.sort((a, b) => sortKey(a) - sortKey(b));
}

// Compute (the shared platform cluster per env × region, then each tenant's compute) and edge, defined in
// stacks/platform-cluster-stack.ts, stacks/compute-stack.ts and stacks/edge-stack.ts.
for (const def of [platformComputeLayer, computeLayer, edgeLayer]) registerLayer(def);

/** The registered layer definitions, in build order. */
export function registeredLayers(): readonly LayerDefinition[] {
  return [...registry];
}

/** Every env × region some tenant has, in first-seen order. */
function envRegions(tenants: readonly Tenant[]): { env: Environment; region: string }[] {
  const seen = new Set<string>();
  const out: { env: Environment; region: string }[] = [];
  for (const t of tenants) {
    for (const env of t.environments) {
      for (const r of t.regions) {
        const k = `${env}|${r.name}`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push({ env, region: r.name });
        }
      }
    }
  }
  return out;
}

/** Build every stack of the estate into `app`; returns the stacks in build (= dependency) order. */
export function buildEstate(
  app: Construct,
  tenants: readonly Tenant[],
  options: EstateOptions = {},
): EstateStackEntry[] {
  const ids = new Set<string>();
  for (const t of tenants) {
    if (ids.has(t.id)) throw new Error(`duplicate tenant id "${t.id}"`);
    ids.add(t.id);
  }
  const estate = new EstateIndex();
  const layers = [...(options.layers ?? registry)].sort((a, b) => sortKey(a) - sortKey(b));
  const record = (stack: BaseStack | undefined) => {
    if (!stack) return;
    const c = stack.context;
    estate.add(
      {
        stackName: stack.stackName,
        tenantId: c.tenant ? c.tenant.id : null,
        env: c.env,
        region: c.region,
        layer: c.layer,
      },
      stack,
    );
  };
  for (const def of layers) {
    if (def.scope === "platform") {
      for (const { env, region } of envRegions(tenants)) {
        const served = tenants.filter((t) => t.environments.includes(env) && t.regions.some((r) => r.name === region));
        record(def.build({ app, env, region, estate, options, tenants: served }));
      }
    } else {
      for (const tenant of tenants) {
        for (const env of tenant.environments) {
          for (const { name: region } of tenant.regions) {
            const stack = <T extends BaseStack>(layer: Layer) => estate.require<T>(tenant.id, env, region, layer);
            record(def.build({ app, env, region, estate, options, tenant, stack }));
          }
        }
      }
    }
  }
  return [...estate.entries()];
}

export interface SynthProgress {
  readonly phase: "build" | "synth" | "count";
  /** Stacks done in this phase. */
  readonly done: number;
  readonly total: number;
  readonly stack?: string;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: number;
  readonly entries: readonly EstateStackEntry[];
  /** Managed resources per stack (data sources not counted). */
  readonly resourcesPerStack: Readonly<Record<string, number>>;
  readonly totalResources: number;
}

/** Count the managed resources in a synthesized `cdk.tf.json`. */
export function countResources(tfJson: { resource?: Record<string, Record<string, unknown>> }): number {
  return Object.values(tfJson.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** Synthesize the estate to `outdir` (no Terraform needed): `<outdir>/stacks/<stack>/cdk.tf.json`. */
export function synthEstate(
  tenants: readonly Tenant[],
  outdir: string,
  onProgress?: (p: SynthProgress) => void,
  options: EstateOptions = {},
): SynthResult {
  const app = new App({ outdir, stackTraces: false, skipValidation: false });
  const entries = buildEstate(app, tenants, options);
  onProgress?.({ phase: "build", done: entries.length, total: entries.length });
  onProgress?.({ phase: "synth", done: 0, total: entries.length });
  app.synth();
  onProgress?.({ phase: "synth", done: entries.length, total: entries.length });
  const resourcesPerStack: Record<string, number> = {};
  let total = 0;
  entries.forEach((e, i) => {
    const file = path.join(outdir, "stacks", e.stackName, "cdk.tf.json");
    const n = countResources(JSON.parse(fs.readFileSync(file, "utf8")));
    resourcesPerStack[e.stackName] = n;
    total += n;
    onProgress?.({ phase: "count", done: i + 1, total: entries.length, stack: e.stackName });
  });
  return { outdir, stacks: entries.length, entries, resourcesPerStack, totalResources: total };
}
