/**
 * DiskEncryptionSet — a disk encryption set for the tenant's managed disks (AKS node OS/data disks) with a
 * customer-managed key, a user-assigned identity, and that identity's least-privilege role on the vault.
 *
 * Secure by default (not props): `encryption_type = EncryptionAtRestWithCustomerKey`, automatic key
 * rotation on (the set follows the versionless key id), role `Key Vault Crypto Service Encryption User`.
 *
 * Satisfies: none
 * Also configures: ZG-IAM-001, ZG-IAM-002
 */
import { Construct } from "constructs";
import { DiskEncryptionSet as AzDiskEncryptionSet } from "@cdktf/provider-azurerm/lib/disk-encryption-set";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";

export interface DiskEncryptionSetProps {
  /** Disk encryption set name. Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling). Required. */
  readonly location: string;
  /** Id of the Key Vault holding the key (role assignment scope). Required. */
  readonly keyVaultId: string;
  /** Versionless id of the disk key. Required. */
  readonly keyVersionlessId: string;
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class DiskEncryptionSet extends Construct {
  public readonly identity: UserAssignedIdentity;
  public readonly roleAssignment: RoleAssignment;
  public readonly set: AzDiskEncryptionSet;

  constructor(scope: Construct, id: string, props: DiskEncryptionSetProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `id-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
    });
    this.roleAssignment = new RoleAssignment(this, "crypto-user", {
      scope: props.keyVaultId,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
    });
    this.set = new AzDiskEncryptionSet(this, "set", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      encryptionType: "EncryptionAtRestWithCustomerKey",
      keyVaultKeyId: props.keyVersionlessId,
      autoKeyRotationEnabled: true,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      dependsOn: [this.roleAssignment],
      tags: props.tags,
    });
  }

  public get id(): string {
    return this.set.id;
  }
}
