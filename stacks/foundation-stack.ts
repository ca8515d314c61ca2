/**
 * FoundationStack — layer 1: resource group, mandatory tags, prod lock, and the tenant's Log Analytics
 * workspace (every later layer sends its diagnostics there).
 */
import { Construct } from "constructs";
import { TenantFoundation } from "../constructs/tenant-foundation";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";

/** What later layers use from the foundation (values are cross-stack tokens). */
export interface FoundationHandles {
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  /** Log Analytics workspace resource id. */
  readonly workspaceId: string;
  /** Log Analytics workspace GUID (customer id). */
  readonly workspaceGuid: string;
  readonly workspaceName: string;
  /** Tags every resource of this tenant × env × region carries (plain strings, no cross-stack reference). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface FoundationStackOptions extends BaseStackOptions {
  /**
   * Cost center for the `cost-center` tag.
   * @default no cost-center tag
   */
  readonly costCenter?: string;
}

export class FoundationStack extends BaseStack {
  public readonly foundation: TenantFoundation;
  public readonly handles: FoundationHandles;

  constructor(scope: Construct, ctx: Omit<StackContext, "layer">, opts: FoundationStackOptions = {}) {
    super(scope, { ...ctx, layer: "foundation" }, opts);
    this.foundation = new TenantFoundation(this, "foundation", {
      tenant: this.tenant,
      env: ctx.env,
      region: ctx.region,
      resourceGroupName: this.nameFor("resourceGroup", "core"),
      workspaceName: this.nameFor("logAnalyticsWorkspace", "audit"),
      costCenter: opts.costCenter,
    });
    const ws = this.foundation.workspace;
    this.handles = {
      resourceGroupName: this.foundation.resourceGroup.name,
      resourceGroupId: this.foundation.resourceGroup.id,
      location: ctx.region,
      workspaceId: ws.id,
      workspaceGuid: ws.workspaceGuid,
      workspaceName: ws.name,
      tags: this.foundation.tags,
    };
  }
}
