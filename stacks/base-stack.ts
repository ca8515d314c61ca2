/**
 * BaseStack — what every zonegate layer stack has in common: its name and backend key (docs/architecture.md),
 * the azurerm provider configured safely, the backend (local by default, azurerm in CI), and the zonegate
 * context written into the synthesized `cdk.tf.json` under `"//": { "zonegate": … }` for the gate.
 */
import { Construct } from "constructs";
import { AzurermBackend, LocalBackend, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import type { Environment, Layer, Tenant } from "../lib/tenant/types";
import { nameFor, type NameKind } from "../lib/naming";
import * as names from "../lib/stack-names";

/** Where a stack's state lives. */
export type BackendKind = "local" | "azurerm";

/** The identity of one stack: tenant (or the shared platform) × env × region × layer. */
export interface StackContext {
  /** The tenant; null for a shared platform stack (e.g. the standard tier's platform cluster). */
  readonly tenant: Tenant | null;
  readonly env: Environment;
  readonly region: string;
  readonly layer: Layer;
  /** Platform stacks only: ids of the tenants the stack serves. */
  readonly platformTenants?: readonly string[];
}

export interface BaseStackOptions {
  /**
   * Backend kind.
   * @default "azurerm" when ZG_BACKEND=azurerm or any ARM_BACKEND_STORAGE_ACCOUNT / ARM_BACKEND_CONTAINER /
   * ARM_BACKEND_RESOURCE_GROUP is set, else "local"
   */
  readonly backend?: BackendKind;
  /**
   * Environment variables consulted for the backend choice and azurerm backend settings.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The tenant context the gate reads (lib/gate/model.ts TenantContext). */
export interface ZonegateTenantContext {
  readonly id: string;
  readonly tier: Tenant["tier"];
  readonly residency: string;
  readonly compliance: Tenant["frameworks"];
  readonly env: Environment;
}

/** What is written under `"//".zonegate` in every stack's cdk.tf.json. */
export interface ZonegateStackContext {
  readonly stack: string;
  readonly layer: Layer;
  readonly env: Environment;
  readonly region: string;
  readonly backendKey: string;
  readonly tenant: ZonegateTenantContext | null;
  readonly platform?: true;
  readonly tenants?: readonly string[];
}

/** `<tenant>-<env>-<region>-<layer>`, or `platform-<env>-<region>-<layer>` for a shared platform stack. */
export function stackName(ctx: Pick<StackContext, "tenant" | "env" | "region" | "layer">): string {
  return names.stackName(ctx.tenant ? ctx.tenant.id : null, ctx.env, ctx.region, ctx.layer);
}

/** `tenants/<tenant>/<env>/<region>/<layer>.tfstate`, or `platform/<env>/<region>/<layer>.tfstate`. */
export function backendKey(ctx: Pick<StackContext, "tenant" | "env" | "region" | "layer">): string {
  return names.backendKey(ctx.tenant ? ctx.tenant.id : null, ctx.env, ctx.region, ctx.layer);
}

/** The backend kind chosen by environment variables (docs/architecture.md). */
export function backendFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): BackendKind {
  if (env.ZG_BACKEND === "azurerm") return "azurerm";
  if (env.ZG_BACKEND === "local") return "local";
  if (env.ARM_BACKEND_STORAGE_ACCOUNT || env.ARM_BACKEND_CONTAINER || env.ARM_BACKEND_RESOURCE_GROUP) return "azurerm";
  return "local";
}

/**
 * Local state path, relative to the stack's working directory `<outdir>/stacks/<stack>/`, so the state of
 * every stack lands in `<outdir>/state/<key>` (e.g. `cdktf.out/state/tenants/…/foundation.tfstate`).
 */
export function localStatePath(key: string): string {
  return `../../state/${key}`;
}

export abstract class BaseStack extends TerraformStack {
  public readonly context: StackContext;
  public readonly stackName: string;
  public readonly backendKey: string;
  public readonly backendKind: BackendKind;
  public readonly zonegate: ZonegateStackContext;
  public readonly provider: AzurermProvider;

  constructor(scope: Construct, ctx: StackContext, opts: BaseStackOptions = {}) {
    const name = stackName(ctx);
    super(scope, name);
    if (ctx.tenant && !ctx.tenant.environments.includes(ctx.env)) {
      throw new Error(`stack ${name}: env "${ctx.env}" is not an environment of tenant "${ctx.tenant.id}"`);
    }
    if (ctx.tenant && !ctx.tenant.regions.some((r) => r.name === ctx.region)) {
      throw new Error(`stack ${name}: region "${ctx.region}" is not a region of tenant "${ctx.tenant.id}"`);
    }
    this.context = ctx;
    this.stackName = name;
    this.backendKey = backendKey(ctx);
    const env = opts.env ?? process.env;
    this.backendKind = opts.backend ?? backendFromEnv(env);

    this.provider = new AzurermProvider(this, "azurerm", {
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
        },
      ],
      // azurerm v4: register nothing implicitly (the subscription is prepared by the platform team).
      resourceProviderRegistrations: "none",
      // Data-plane storage calls with Entra ID (shared keys are disabled on every account).
      storageUseAzuread: true,
    });

    if (this.backendKind === "azurerm") {
      const missing = ["ARM_BACKEND_STORAGE_ACCOUNT", "ARM_BACKEND_CONTAINER", "ARM_BACKEND_RESOURCE_GROUP"].filter(
        (v) => !env[v],
      );
      if (missing.length) {
        throw new Error(`stack ${name}: azurerm backend selected but ${missing.join(", ")} not set`);
      }
      new AzurermBackend(this, {
        storageAccountName: env.ARM_BACKEND_STORAGE_ACCOUNT!,
        containerName: env.ARM_BACKEND_CONTAINER!,
        resourceGroupName: env.ARM_BACKEND_RESOURCE_GROUP!,
        key: this.backendKey,
        useAzureadAuth: true,
        ...(env.ARM_BACKEND_SUBSCRIPTION_ID ? { subscriptionId: env.ARM_BACKEND_SUBSCRIPTION_ID } : {}),
      });
    } else {
      new LocalBackend(this, { path: localStatePath(this.backendKey) });
    }

    const t = ctx.tenant;
    this.zonegate = {
      stack: name,
      layer: ctx.layer,
      env: ctx.env,
      region: ctx.region,
      backendKey: this.backendKey,
      tenant: t
        ? { id: t.id, tier: t.tier, residency: t.residency, compliance: [...t.frameworks], env: ctx.env }
        : null,
      ...(t ? {} : { platform: true as const, tenants: [...(ctx.platformTenants ?? [])] }),
    };
    this.addOverride("//.zonegate", this.zonegate);
  }

  /** The tenant (throws in a platform stack). */
  protected get tenant(): Tenant {
    if (!this.context.tenant) throw new Error(`stack ${this.stackName} has no tenant`);
    return this.context.tenant;
  }

  /** A deterministic Azure name for this stack's tenant × env × region (lib/naming.ts). */
  public nameFor(kind: NameKind, suffix?: string): string {
    return nameFor(kind, {
      tenant: this.context.tenant ? this.context.tenant.id : "platform",
      env: this.context.env,
      region: this.context.region,
      ...(suffix ? { suffix } : {}),
    });
  }
}
