/**
 * GatewayPolicy — a tenant's policies on its API Management instance: the global (service) policy and the
 * tenant's product with its product policy (lib/gateway/policies.ts).
 *
 * The XML is produced by the typed builders (never string concatenation of tenant data) and then escaped for
 * Terraform: `${` / `%{` in a tenant value would otherwise be evaluated as a Terraform template when the
 * JSON configuration is loaded. The product requires a subscription and approval, so every API that is reachable
 * is reached through the product — and therefore through its validate-jwt / rate-limit / quota policy.
 *
 * Satisfies: ZG-APIM-005, ZG-APIM-006
 */
import { Construct } from "constructs";
import { ApiManagementPolicy } from "@cdktf/provider-azurerm/lib/api-management-policy";
import { ApiManagementProduct } from "@cdktf/provider-azurerm/lib/api-management-product";
import { ApiManagementProductPolicy } from "@cdktf/provider-azurerm/lib/api-management-product-policy";
import type { Tenant } from "../lib/tenant/types";
import { globalPolicyXml, productPolicyXml } from "../lib/gateway/policies";
import { escapeTerraformTemplate } from "../lib/gateway/xml";

export interface GatewayPolicyProps {
  /** The API Management service id. Required. */
  readonly apiManagementId: string;
  /** The API Management service name. Required. */
  readonly apiManagementName: string;
  readonly resourceGroupName: string;
  /** The tenant whose values the policies carry. Required. */
  readonly tenant: Tenant;
  /**
   * Maximum subscriptions per user on the product.
   * @default 10
   */
  readonly subscriptionsLimit?: number;
}

export class GatewayPolicy extends Construct {
  public readonly globalPolicy: ApiManagementPolicy;
  public readonly product: ApiManagementProduct;
  public readonly productPolicy: ApiManagementProductPolicy;
  /** The XML documents as the gateway receives them (before Terraform escaping). */
  public readonly globalXml: string;
  public readonly productXml: string;

  constructor(scope: Construct, id: string, props: GatewayPolicyProps) {
    super(scope, id);
    const t = props.tenant;
    this.globalXml = globalPolicyXml(t);
    this.productXml = productPolicyXml(t);

    this.globalPolicy = new ApiManagementPolicy(this, "global", {
      apiManagementId: props.apiManagementId,
      xmlContent: escapeTerraformTemplate(this.globalXml),
    });
    this.product = new ApiManagementProduct(this, "product", {
      productId: t.id,
      apiManagementName: props.apiManagementName,
      resourceGroupName: props.resourceGroupName,
      displayName: escapeTerraformTemplate(t.displayName),
      description: escapeTerraformTemplate(`zonegate product of tenant ${t.id} (${t.tier})`),
      subscriptionRequired: true,
      approvalRequired: true,
      subscriptionsLimit: props.subscriptionsLimit ?? 10,
      published: true,
    });
    this.productPolicy = new ApiManagementProductPolicy(this, "product-policy", {
      productId: this.product.productId,
      apiManagementName: props.apiManagementName,
      resourceGroupName: props.resourceGroupName,
      xmlContent: escapeTerraformTemplate(this.productXml),
    });
  }
}
