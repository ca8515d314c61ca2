/**
 * TenantKeyVault — the tenant's Key Vault for customer-managed keys, reachable only through a private
 * endpoint, with diagnostics to the tenant workspace.
 *
 * Secure by default (not props): sku premium (HSM-backed keys), purge protection on, soft delete 90 days,
 * Azure RBAC authorization (no access policies), public network access off, network ACL default Deny with
 * only the trusted-Azure-services bypass (disk encryption sets and storage CMK need it), not enabled for
 * VM deployment / template deployment / ADE. The deploying principal gets `Key Vault Crypto Officer` (keys
 * only, not secrets or role management) so Terraform can create the CMK keys.
 *
 * Satisfies: ZG-KV-001, ZG-KV-002, ZG-KV-003, ZG-KV-004, ZG-KV-005, ZG-KV-006
 * Also configures: ZG-IAM-001, ZG-IAM-002, ZG-LOG-004
 */
import { Construct } from "constructs";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { DiagnosticSettings } from "./diagnostic-settings";
import { PrivateEndpoint } from "./private-endpoint";

export interface TenantKeyVaultProps {
  /** Vault name (3–24 chars, globally unique). Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling). Required. */
  readonly location: string;
  /** Id of the private-endpoints subnet. Required. */
  readonly privateEndpointSubnetId: string;
  /** Id of the `privatelink.vaultcore.azure.net` zone. Required. */
  readonly privateDnsZoneId: string;
  /** Log Analytics workspace id for the vault's audit events. Required. */
  readonly workspaceId: string;
  /**
   * Entra ID tenant of the vault.
   * @default the tenant of the deploying principal (`data.azurerm_client_config`)
   */
  readonly entraTenantId?: string;
  /**
   * Object id granted `Key Vault Crypto Officer` so the deployment can manage keys.
   * @default the deploying principal (`data.azurerm_client_config`)
   */
  readonly deployerObjectId?: string;
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class TenantKeyVault extends Construct {
  public readonly vault: KeyVault;
  public readonly privateEndpoint: PrivateEndpoint;
  /** The deployer's data-plane role assignment; keys must depend on it. */
  public readonly deployerAccess: RoleAssignment;

  constructor(scope: Construct, id: string, props: TenantKeyVaultProps) {
    super(scope, id);
    let client: DataAzurermClientConfig | undefined;
    const current = () => (client ??= new DataAzurermClientConfig(this, "current", {}));

    this.vault = new KeyVault(this, "vault", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.entraTenantId ?? current().tenantId,
      skuName: "premium",
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      // azurerm v4.x name (replaces the deprecated `enable_rbac_authorization`).
      rbacAuthorizationEnabled: true,
      publicNetworkAccessEnabled: false,
      enabledForDeployment: false,
      enabledForTemplateDeployment: false,
      enabledForDiskEncryption: false,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkSubnetIds: [] },
      tags: props.tags,
    });

    this.deployerAccess = new RoleAssignment(this, "deployer-crypto-officer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Officer",
      principalId: props.deployerObjectId ?? current().objectId,
    });

    this.privateEndpoint = new PrivateEndpoint(this, "pe", {
      name: `pe-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.privateEndpointSubnetId,
      targetResourceId: this.vault.id,
      subresource: "vault",
      privateDnsZoneIds: [props.privateDnsZoneId],
      tags: props.tags,
    });

    new DiagnosticSettings(this, "diagnostics", { targetResourceId: this.vault.id, workspaceId: props.workspaceId });
  }

  public get id(): string {
    return this.vault.id;
  }
}
