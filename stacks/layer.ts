/**
 * The vocabulary of the estate's layers: a {@link LayerDefinition} builds one layer's stack for a tenant
 * (tenant scope) or for an env × region (platform scope) from its {@link TenantLayerContext} /
 * {@link PlatformLayerContext}; {@link EstateIndex} is the lookup of the stacks built so far.
 *
 * Kept apart from stacks/app.ts (which registers the layers and builds the estate) so the layer stacks
 * (compute-stack.ts, edge-stack.ts, platform-cluster-stack.ts) define their layers without importing the
 * module that imports them: the floors run one way.
 */
import type { Construct } from "constructs";
import type { Environment, Layer, Tenant } from "../lib/tenant/types";
import type { BaseStack, BackendKind } from "./base-stack";
import type { ExistingNetworkWatcher } from "../constructs/vnet-flow-logs";

/** One stack of the estate. */
export interface EstateStackEntry {
  readonly stackName: string;
  /** null for a platform stack. */
  readonly tenantId: string | null;
  readonly env: Environment;
  readonly region: string;
  readonly layer: Layer;
}

export interface EstateOptions {
  /**
   * Backend for every stack.
   * @default from the environment (ZG_BACKEND / ARM_BACKEND_*), else local
   */
  readonly backend?: BackendKind;
  /**
   * Environment variables for the backend choice/settings.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Cost center per tenant id (`cost-center` tag).
   * @default none
   */
  readonly costCenters?: Readonly<Record<string, string>>;
  /**
   * Existing Network Watcher per tenant × env × region (one per subscription and region is allowed).
   * @default create one in each tenant resource group
   */
  readonly networkWatcher?: (tenant: Tenant, env: Environment, region: string) => ExistingNetworkWatcher | undefined;
  /**
   * The layer definitions to build, in order.
   * @default the registry: the core four plus whatever {@link registerLayer} added
   */
  readonly layers?: readonly LayerDefinition[];
}

/** Lookup of the stacks built so far. */
export class EstateIndex {
  private readonly stacks = new Map<string, BaseStack>();
  private readonly order: EstateStackEntry[] = [];

  private static key(tenantId: string | null, env: string, region: string, layer: Layer): string {
    return `${tenantId ?? "\u0000platform"}|${env}|${region}|${layer}`;
  }

  /** @internal */
  public add(entry: EstateStackEntry, stack: BaseStack): void {
    const k = EstateIndex.key(entry.tenantId, entry.env, entry.region, entry.layer);
    if (this.stacks.has(k)) throw new Error(`duplicate stack ${entry.stackName}`);
    this.stacks.set(k, stack);
    this.order.push(entry);
  }

  /** The stack of a tenant (or null = platform) × env × region × layer, if built. */
  public get<T extends BaseStack = BaseStack>(
    tenantId: string | null,
    env: Environment,
    region: string,
    layer: Layer,
  ): T | undefined {
    return this.stacks.get(EstateIndex.key(tenantId, env, region, layer)) as T | undefined;
  }

  /** Like {@link get} but throws when missing. */
  public require<T extends BaseStack = BaseStack>(
    tenantId: string | null,
    env: Environment,
    region: string,
    layer: Layer,
  ): T {
    const s = this.get<T>(tenantId, env, region, layer);
    if (!s) throw new Error(`no ${layer} stack for ${tenantId ?? "platform"}/${env}/${region}`);
    return s;
  }

  /** Every stack built, in build order. */
  public entries(): readonly EstateStackEntry[] {
    return this.order;
  }
}

export interface LayerContextBase {
  readonly app: Construct;
  readonly env: Environment;
  readonly region: string;
  readonly estate: EstateIndex;
  readonly options: EstateOptions;
}

export interface TenantLayerContext extends LayerContextBase {
  readonly tenant: Tenant;
  /** This tenant × env × region's stack of an earlier layer (throws when missing). */
  readonly stack: <T extends BaseStack>(layer: Layer) => T;
}

export interface PlatformLayerContext extends LayerContextBase {
  /** Tenants that have this env and region. */
  readonly tenants: readonly Tenant[];
}

export type LayerDefinition =
  | {
      readonly scope: "tenant";
      readonly layer: Layer;
      readonly build: (ctx: TenantLayerContext) => BaseStack | undefined;
    }
  | {
      readonly scope: "platform";
      readonly layer: Layer;
      readonly build: (ctx: PlatformLayerContext) => BaseStack | undefined;
    };
