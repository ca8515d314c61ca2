/**
 * ImmutableArchive — the tenant's WORM audit archive: a CMK-encrypted, private-only storage account whose
 * audit containers carry a **locked** time-based immutability policy.
 *
 * Secure by default (not props): StorageV2/Standard; ZRS, or GZRS only when the region's Azure pair stays
 * in the tenant's residency zone (lib/residency.ts `pairStaysInZone`); TLS 1.2 minimum, HTTPS only, no
 * public blobs, no public network access (private endpoint only), no shared keys (Entra ID only, OAuth
 * default), no local users/SFTP, no cross-tenant replication, infrastructure (double) encryption,
 * customer-managed key (versionless, auto-rotating) through a user-assigned identity — also for queues and
 * tables, blob versioning + change feed + soft delete, network rules default Deny with the trusted-service
 * bypass (Log Analytics data export and Network Watcher write through it).
 *
 * Containers (all with the same locked policy, `protected_append_writes_enabled` so append-blob writers
 * keep working): `audit-archive`, plus the containers Azure's own writers use, pre-created so they are
 * WORM from the first byte: `am-<table>` for each data-exported table and `insights-logs-flowlogflowevent`
 * for VNet flow logs. A locked policy can only be lengthened, never removed: the account cannot be
 * deleted while it holds protected blobs — that is the point.
 *
 * Satisfies: ZG-LC-001, ZG-RES-002, ZG-ST-001, ZG-ST-002, ZG-ST-003, ZG-ST-004, ZG-ST-005, ZG-ST-006, ZG-ST-007,
 *   ZG-ST-008, ZG-ST-009, ZG-ST-010, ZG-ST-011
 * Also configures: ZG-IAM-001, ZG-IAM-002, ZG-LOG-004
 */
import { Construct } from "constructs";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { pairStaysInZone } from "../lib/residency";
import { DiagnosticSettings } from "./diagnostic-settings";
import { PrivateEndpoint } from "./private-endpoint";

export const ARCHIVE_CONTAINER = "audit-archive";
export const FLOW_LOG_CONTAINER = "insights-logs-flowlogflowevent";
/** Azure's maximum time-based retention for a container policy. */
export const MAX_IMMUTABILITY_DAYS = 146000;

/** Container Log Analytics data export writes a table to. */
export function exportContainerName(table: string): string {
  return `am-${table.toLowerCase()}`;
}

/** Replication for an archive in `region` under residency `zone`: GZRS only when the pair stays in the zone. */
export function archiveReplication(region: string, zone: string): "GZRS" | "ZRS" {
  return pairStaysInZone(region, zone) ? "GZRS" : "ZRS";
}

export interface ImmutableArchiveProps {
  /** Storage account name (3–24 lowercase letters/digits, globally unique). Required. */
  readonly name: string;
  /** Resource group. Required. */
  readonly resourceGroupName: string;
  /** Azure region (ARM spelling). Required. */
  readonly location: string;
  /** Tenant residency zone id; decides whether geo-redundancy is allowed. Required. */
  readonly residency: string;
  /** Key Vault id (scope of the identity's crypto role). Required. */
  readonly keyVaultId: string;
  /** Versionless id of the storage CMK key. Required. */
  readonly keyVersionlessId: string;
  /** Private-endpoints subnet id. Required. */
  readonly privateEndpointSubnetId: string;
  /** `privatelink.blob.core.windows.net` zone id. Required. */
  readonly blobPrivateDnsZoneId: string;
  /** Log Analytics workspace id for the account's diagnostics. Required. */
  readonly workspaceId: string;
  /**
   * WORM retention in days (locked). Validated ≥ `minimumImmutabilityDays` and ≤ 146000.
   * @default minimumImmutabilityDays
   */
  readonly immutabilityDays?: number;
  /** The floor for `immutabilityDays`: the tenant's `audit.immutableRetentionDays`. Required. */
  readonly minimumImmutabilityDays: number;
  /**
   * Tables exported by Log Analytics data export; each gets a pre-created WORM `am-<table>` container.
   * @default []
   */
  readonly exportedTables?: readonly string[];
  /**
   * Soft-delete retention for blobs and containers in days (7–365).
   * @default 30
   */
  readonly softDeleteDays?: number;
  /**
   * Resource tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class ImmutableArchive extends Construct {
  public readonly account: StorageAccount;
  public readonly identity: UserAssignedIdentity;
  public readonly containers: Record<string, StorageContainer>;
  public readonly policies: Record<string, StorageContainerImmutabilityPolicy>;
  public readonly privateEndpoint: PrivateEndpoint;
  public readonly immutabilityDays: number;

  constructor(scope: Construct, id: string, props: ImmutableArchiveProps) {
    super(scope, id);
    const where = this.node.path;
    const days = props.immutabilityDays ?? props.minimumImmutabilityDays;
    if (!Number.isInteger(days) || days < props.minimumImmutabilityDays || days < 1 || days > MAX_IMMUTABILITY_DAYS) {
      throw new Error(
        `${where}: immutabilityDays ${days} must be an integer ≥ ${props.minimumImmutabilityDays} (tenant audit.immutableRetentionDays) and ≤ ${MAX_IMMUTABILITY_DAYS}`,
      );
    }
    const softDelete = props.softDeleteDays ?? 30;
    if (!Number.isInteger(softDelete) || softDelete < 7 || softDelete > 365) {
      throw new Error(`${where}: softDeleteDays ${softDelete} must be an integer in 7–365`);
    }
    this.immutabilityDays = days;

    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `id-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
    });
    const cryptoUser = new RoleAssignment(this, "crypto-user", {
      scope: props.keyVaultId,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
    });

    this.account = new StorageAccount(this, "account", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: archiveReplication(props.location, props.residency),
      accessTier: "Hot",
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      publicNetworkAccessEnabled: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      infrastructureEncryptionEnabled: true,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      sftpEnabled: false,
      isHnsEnabled: false,
      queueEncryptionKeyType: "Account",
      tableEncryptionKeyType: "Account",
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      customerManagedKey: { keyVaultKeyId: props.keyVersionlessId, userAssignedIdentityId: this.identity.id },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days: softDelete },
        containerDeleteRetentionPolicy: { days: softDelete },
      },
      networkRules: {
        defaultAction: "Deny",
        bypass: ["AzureServices", "Logging", "Metrics"],
        ipRules: [],
        virtualNetworkSubnetIds: [],
      },
      dependsOn: [cryptoUser],
      tags: props.tags,
    });

    const containerNames = [
      ARCHIVE_CONTAINER,
      FLOW_LOG_CONTAINER,
      ...(props.exportedTables ?? []).map(exportContainerName),
    ];
    this.containers = {};
    this.policies = {};
    for (const name of [...new Set(containerNames)]) {
      // storage_account_id (v4) → the container is managed through ARM, no shared key / data plane needed.
      const container = new StorageContainer(this, `container-${name}`, {
        name,
        storageAccountId: this.account.id,
        containerAccessType: "private",
      });
      this.containers[name] = container;
      this.policies[name] = new StorageContainerImmutabilityPolicy(this, `worm-${name}`, {
        storageContainerResourceManagerId: container.id,
        immutabilityPeriodInDays: days,
        locked: true,
        protectedAppendWritesEnabled: true,
      });
    }

    this.privateEndpoint = new PrivateEndpoint(this, "pe-blob", {
      name: `pe-${props.name}-blob`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.privateEndpointSubnetId,
      targetResourceId: this.account.id,
      subresource: "blob",
      privateDnsZoneIds: [props.blobPrivateDnsZoneId],
      tags: props.tags,
    });

    // The account itself only has metrics; the blob service has the read/write/delete logs.
    new DiagnosticSettings(this, "diagnostics-account", {
      targetResourceId: this.account.id,
      workspaceId: props.workspaceId,
      logs: false,
    });
    new DiagnosticSettings(this, "diagnostics-blob", {
      targetResourceId: `${this.account.id}/blobServices/default`,
      workspaceId: props.workspaceId,
    });
  }

  public get id(): string {
    return this.account.id;
  }
}
