/**
 * EdgeStack — layer 6 of a tenant × env × region: the tenant's API Management gateway (internal VNet mode in the
 * landing zone's `apim` subnet, TLS 1.2+ only, strong ciphers only, client certificate negotiation, diagnostics
 * to the tenant workspace) with the tenant's global policy and product (validate-jwt, rate limit and quota per
 * caller, mTLS partners, PAN/DLP masking, security headers, data-residency check).
 *
 * Every tier gets its own gateway (the gateway holds the tenant's OAuth trust and DLP configuration; sharing one
 * would put several tenants' issuers and counters on one instance). The NSG rules API Management needs in VNet
 * mode (ApiManagement → 3443, AzureLoadBalancer → 6390) are added to the network layer's apim NSG from here.
 * Tenants with `gateway.internet` also get the Application Gateway WAF v2 (constructs/waf-gateway.ts) in the
 * network layer's appgw subnet, the only public entry, forwarding to the gateway's private IP.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { ApiManagement } from "../constructs/api-management";
import { WafGateway } from "../constructs/waf-gateway";
import { GatewayPolicy } from "../constructs/gateway-policy";
import { GatewayApis } from "../constructs/gateway-apis";
import { escapeTerraformTemplate } from "../lib/gateway/xml";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";
import type { FoundationStack } from "./foundation-stack";
import type { NetworkStack } from "./network-stack";
import type { SecurityStack } from "./security-stack";
import type { LayerDefinition } from "./layer";

export interface EdgeStackDeps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  /** Needed when the tenant publishes to the internet (the WAF's TLS certificate lives in the tenant Key Vault). */
  readonly security?: SecurityStack;
}

export class EdgeStack extends BaseStack {
  public readonly apim: ApiManagement;
  public readonly policies: GatewayPolicy;
  /** The tenant's APIs imported from OpenAPI (gateway.apis). */
  public readonly apis: GatewayApis;
  /** Tenants with `gateway.internet` only: the WAF in front of the internal gateway. */
  public readonly waf?: WafGateway;

  constructor(scope: Construct, ctx: Omit<StackContext, "layer">, deps: EdgeStackDeps, opts: BaseStackOptions = {}) {
    super(scope, { ...ctx, layer: "edge" }, opts);
    this.addDependency(deps.foundation);
    this.addDependency(deps.network);
    const tenant = this.tenant;
    const f = deps.foundation.handles;
    const n = deps.network.handles;

    this.apim = new ApiManagement(this, "apim", {
      name: this.nameFor("apiManagement"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      env: ctx.env,
      subnetId: n.subnetIds.apim,
      nsg: { name: n.nsgNames.apim, resourceGroupName: f.resourceGroupName },
      // tenant strings written into Terraform JSON are template-escaped (`${` would be evaluated)
      publisherName: escapeTerraformTemplate(tenant.gateway.publisherName),
      publisherEmail: escapeTerraformTemplate(tenant.gateway.publisherEmail),
      workspaceId: f.workspaceId,
      tags: { ...f.tags },
    });
    const internet = tenant.gateway.internet;
    if (internet) {
      if (!deps.security)
        throw new Error(`stack ${this.stackName}: publishing to the internet needs the security stack`);
      if (!n.subnetIds.appgw || !n.nsgNames.appgw) {
        throw new Error(`stack ${this.stackName}: the VNet has no appgw subnet (a /23 or larger VNet is needed)`);
      }
      this.addDependency(deps.security);
      const s = deps.security.handles;
      this.waf = new WafGateway(this, "waf", {
        name: this.nameFor("apiManagement"),
        resourceGroupName: f.resourceGroupName,
        location: ctx.region,
        subnetId: n.subnetIds.appgw,
        nsg: { name: n.nsgNames.appgw, resourceGroupName: f.resourceGroupName },
        hostName: internet.hostName,
        keyVaultId: s.keyVaultId,
        keyVaultUri: s.keyVaultUri,
        certificateSecretName: internet.certificateSecretName,
        backendIpAddress: Fn.element(this.apim.service.privateIpAddresses, 0),
        backendHostName: `${this.apim.name}.azure-api.net`,
        workspaceId: f.workspaceId,
        tags: { ...f.tags },
      });
    }
    this.policies = new GatewayPolicy(this, "gateway-policy", {
      apiManagementId: this.apim.id,
      apiManagementName: this.apim.name,
      resourceGroupName: f.resourceGroupName,
      tenant,
    });
    this.apis = new GatewayApis(this, "apis", {
      apiManagementName: this.apim.name,
      resourceGroupName: f.resourceGroupName,
      productId: this.policies.product.productId,
      tenant,
    });
  }
}

/** Layer definition (registered in stacks/app.ts). */
export const edgeLayer: LayerDefinition = {
  scope: "tenant",
  layer: "edge",
  build: (c) =>
    new EdgeStack(
      c.app,
      { tenant: c.tenant, env: c.env, region: c.region },
      {
        foundation: c.stack<FoundationStack>("foundation"),
        network: c.stack<NetworkStack>("network"),
        security: c.stack<SecurityStack>("security"),
      },
      { backend: c.options.backend, env: c.options.env },
    ),
};
