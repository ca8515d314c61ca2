/**
 * SecurityStack — layer 3: Key Vault (private, RBAC, purge-protected), CMK keys with rotation, and the
 * disk encryption set the compute layer's clusters use. In the tenant's first region, Microsoft Defender for Cloud
 * for the tenant × env subscription (plans + security contact; subscription singletons, so once per tenant × env).
 */
import { Construct } from "constructs";
import { TenantKeyVault } from "../constructs/key-vault";
import { CustomerManagedKeys, type KeyPurpose } from "../constructs/customer-managed-keys";
import { DiskEncryptionSet } from "../constructs/disk-encryption-set";
import { DefenderForCloud } from "../constructs/defender-for-cloud";
import { escapeTerraformTemplate } from "../lib/gateway/xml";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";
import type { FoundationStack } from "./foundation-stack";
import type { NetworkStack } from "./network-stack";

export interface SecurityHandles {
  readonly keyVaultId: string;
  readonly keyVaultName: string;
  readonly keyVaultUri: string;
  /** Versionless key ids by purpose (`disks`, `storage`, `kms`). */
  readonly keyIds: Readonly<Record<KeyPurpose, string>>;
  /** Versioned key id of the KMS key (AKS KMS etcd encryption needs a versioned id). */
  readonly kmsKeyVersionedId: string;
  readonly diskEncryptionSetId: string;
}

export interface SecurityStackDeps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
}

export class SecurityStack extends BaseStack {
  public readonly keyVault: TenantKeyVault;
  public readonly keys: CustomerManagedKeys;
  public readonly diskEncryptionSet: DiskEncryptionSet;
  /** First region of the tenant only. */
  public readonly defender?: DefenderForCloud;
  public readonly handles: SecurityHandles;

  constructor(
    scope: Construct,
    ctx: Omit<StackContext, "layer">,
    deps: SecurityStackDeps,
    opts: BaseStackOptions = {},
  ) {
    super(scope, { ...ctx, layer: "security" }, opts);
    this.addDependency(deps.foundation);
    this.addDependency(deps.network);
    const f = deps.foundation.handles;
    const n = deps.network.handles;
    const tags = { ...f.tags };

    this.keyVault = new TenantKeyVault(this, "key-vault", {
      name: this.nameFor("keyVault"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      privateEndpointSubnetId: n.subnetIds["private-endpoints"],
      privateDnsZoneId: n.privateDnsZoneIds.vault,
      workspaceId: f.workspaceId,
      tags,
    });
    this.keys = new CustomerManagedKeys(this, "keys", {
      keyVaultId: this.keyVault.id,
      namePrefix: this.nameFor("keyVaultKey"),
      dependsOn: [this.keyVault.deployerAccess, this.keyVault.privateEndpoint.endpoint],
      tags,
    });
    this.diskEncryptionSet = new DiskEncryptionSet(this, "des", {
      name: this.nameFor("diskEncryptionSet"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      keyVaultId: this.keyVault.id,
      keyVersionlessId: this.keys.key("disks").versionlessId,
      tags,
    });
    if (isFirstRegion(this.tenant, ctx.region)) {
      this.defender = new DefenderForCloud(this, "defender", {
        securityContactEmail: escapeTerraformTemplate(this.tenant.contacts.security),
      });
    }
    this.handles = {
      keyVaultId: this.keyVault.id,
      keyVaultName: this.keyVault.vault.name,
      keyVaultUri: this.keyVault.vault.vaultUri,
      keyIds: this.keys.versionlessKeyIds as Record<KeyPurpose, string>,
      kmsKeyVersionedId: this.keys.key("kms").id,
      diskEncryptionSetId: this.diskEncryptionSet.id,
    };
  }
}

/** Subscription-scope resources (Defender, Activity Log export and alerts) go to the tenant's first region. */
export function isFirstRegion(tenant: { readonly regions: readonly { readonly name: string }[] }, region: string) {
  return tenant.regions[0]?.name === region;
}
