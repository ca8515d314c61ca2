// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { PrivateEndpoint as AzPrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { ImmutableArchive, archiveReplication, type ImmutableArchiveProps } from "../../constructs/immutable-archive";

Testing.setupJest();
const oc = expect.objectContaining;

const archiveProps: ImmutableArchiveProps = {
  name: "sttaudit",
  resourceGroupName: "rg",
  location: "westeurope",
  residency: "eu",
  keyVaultId: "/kv",
  keyVersionlessId: "https://kv/keys/storage",
  privateEndpointSubnetId: "/snet-pe",
  blobPrivateDnsZoneId: "/zone-blob",
  workspaceId: "/ws",
  minimumImmutabilityDays: 365,
  exportedTables: ["AzureActivity"],
};

describe("ImmutableArchive", () => {
  const out = Testing.synthScope((s) => {
    new ImmutableArchive(s, "archive", archiveProps);
  });
  const json = JSON.parse(out);

  it("is a private, key-less, CMK, double-encrypted account", () => {
    expect(out).toHaveResourceWithProperties(StorageAccount, {
      account_tier: "Standard",
      account_replication_type: "GZRS",
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      public_network_access_enabled: false,
      shared_access_key_enabled: false,
      infrastructure_encryption_enabled: true,
      identity: oc({ type: "UserAssigned" }),
      customer_managed_key: oc({ key_vault_key_id: "https://kv/keys/storage" }),
      blob_properties: oc({ versioning_enabled: true, delete_retention_policy: { days: 30 } }),
      network_rules: oc({ default_action: "Deny", bypass: ["AzureServices", "Logging", "Metrics"] }),
    });
  });

  it("uses GZRS only when the pair stays in the residency zone", () => {
    expect(archiveReplication("westeurope", "eu")).toBe("GZRS");
    expect(archiveReplication("brazilsouth", "br")).toBe("ZRS");
    expect(archiveReplication("polandcentral", "eu")).toBe("ZRS");
  });

  it("locks a time-based WORM policy on audit-archive and the export/flow-log containers", () => {
    for (const c of ["audit-archive", "am-azureactivity", "insights-logs-flowlogflowevent"]) {
      expect(out).toHaveResourceWithProperties(StorageContainer, { name: c, container_access_type: "private" });
    }
    const policies = Object.values(json.resource.azurerm_storage_container_immutability_policy) as object[];
    expect(policies).toHaveLength(3);
    expect(out).toHaveResourceWithProperties(StorageContainerImmutabilityPolicy, {
      immutability_period_in_days: 365,
      locked: true,
      protected_append_writes_enabled: true,
    });
  });

  it("has a blob private endpoint and account + blob-service diagnostics", () => {
    expect(out).toHaveResourceWithProperties(AzPrivateEndpoint, {
      private_service_connection: oc({ subresource_names: ["blob"] }),
      private_dns_zone_group: oc({ private_dns_zone_ids: ["/zone-blob"] }),
    });
    const targets = (Object.values(json.resource.azurerm_monitor_diagnostic_setting) as Record<string, string>[]).map(
      (d) => d.target_resource_id,
    );
    expect(targets.some((t) => t.endsWith("/blobServices/default"))).toBe(true);
    expect(out).toHaveResource(MonitorDiagnosticSetting);
  });

  it("rejects a retention below the tenant's immutable retention; no prop unlocks the policy", () => {
    expect(() =>
      Testing.synthScope((s) => new ImmutableArchive(s, "a", { ...archiveProps, immutabilityDays: 30 })),
    ).toThrow(/≥ 365/);
    // @ts-expect-error the lock is not configurable
    const bad: ImmutableArchiveProps = { ...archiveProps, locked: false };
    const o = Testing.synthScope((s) => {
      new ImmutableArchive(s, "a", bad);
    });
    expect(o).toHaveResourceWithProperties(StorageContainerImmutabilityPolicy, { locked: true });
  });
});
