// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { PrivateEndpoint as AzPrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { DiskEncryptionSet as AzDes } from "@cdktf/provider-azurerm/lib/disk-encryption-set";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { TenantKeyVault } from "../../constructs/key-vault";
import { CustomerManagedKeys } from "../../constructs/customer-managed-keys";
import { DiskEncryptionSet } from "../../constructs/disk-encryption-set";

Testing.setupJest();
const oc = expect.objectContaining;

const kvProps = {
  name: "kv-t",
  resourceGroupName: "rg",
  location: "westeurope",
  privateEndpointSubnetId: "/snet-pe",
  privateDnsZoneId: "/zone-vault",
  workspaceId: "/ws",
};

describe("TenantKeyVault", () => {
  const out = Testing.synthScope((s) => {
    new TenantKeyVault(s, "kv", kvProps);
  });

  it("is premium, purge-protected, RBAC-only and private", () => {
    expect(out).toHaveResourceWithProperties(KeyVault, {
      sku_name: "premium",
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      rbac_authorization_enabled: true,
      public_network_access_enabled: false,
      network_acls: oc({ default_action: "Deny", bypass: "AzureServices", ip_rules: [] }),
    });
    const kv = Object.values(JSON.parse(out).resource.azurerm_key_vault)[0] as Record<string, unknown>;
    expect(kv.enable_rbac_authorization).toBeUndefined();
    expect(kv.access_policy).toBeUndefined();
  });

  it("has a private endpoint in the vaultcore zone, diagnostics and a keys-only deployer role", () => {
    expect(out).toHaveResourceWithProperties(AzPrivateEndpoint, {
      subnet_id: "/snet-pe",
      private_service_connection: oc({ subresource_names: ["vault"], is_manual_connection: false }),
      private_dns_zone_group: oc({ private_dns_zone_ids: ["/zone-vault"] }),
    });
    expect(out).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      log_analytics_workspace_id: "/ws",
      enabled_log: [{ category_group: "allLogs" }],
    });
    expect(out).toHaveResourceWithProperties(RoleAssignment, { role_definition_name: "Key Vault Crypto Officer" });
  });

  it("offers no prop to weaken the vault", () => {
    // @ts-expect-error purge protection is not configurable
    const bad: ConstructorParameters<typeof TenantKeyVault>[2] = { ...kvProps, purgeProtectionEnabled: false };
    const o = Testing.synthScope((s) => {
      new TenantKeyVault(s, "kv", { ...bad, ...({ publicNetworkAccessEnabled: true } as object) });
    });
    expect(o).toHaveResourceWithProperties(KeyVault, {
      purge_protection_enabled: true,
      public_network_access_enabled: false,
    });
  });
});

describe("CustomerManagedKeys", () => {
  const out = Testing.synthScope((s) => {
    new CustomerManagedKeys(s, "keys", { keyVaultId: "/kv", namePrefix: "cmk-t" });
  });

  it("creates RSA-HSM 3072 keys with expiry and automatic rotation", () => {
    for (const purpose of ["disks", "storage", "kms"]) {
      expect(out).toHaveResourceWithProperties(KeyVaultKey, {
        name: `cmk-t-${purpose}`,
        key_type: "RSA-HSM",
        key_size: 3072,
        rotation_policy: {
          automatic: { time_before_expiry: "P30D" },
          expire_after: "P365D",
          notify_before_expiry: "P29D",
        },
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw synthesized JSON
    const keys = Object.values(JSON.parse(out).resource.azurerm_key_vault_key) as Record<string, any>[];
    for (const k of keys) {
      expect(k.expiration_date).toMatch(/timeadd\(plantimestamp\(\), "8760h"\)/);
      expect(k.lifecycle.ignore_changes).toEqual(["expiration_date"]);
      expect(k.key_opts).not.toContain("sign");
    }
  });

  it("validates the cryptoperiod", () => {
    expect(() =>
      Testing.synthScope(
        (s) => new CustomerManagedKeys(s, "k", { keyVaultId: "/kv", namePrefix: "c", keyLifetimeDays: 730 }),
      ),
    ).toThrow(/90–365/);
    const o = Testing.synthScope((s) => {
      new CustomerManagedKeys(s, "k", {
        keyVaultId: "/kv",
        namePrefix: "c",
        keyLifetimeDays: 180,
        purposes: ["disks"],
      });
    });
    expect(o).toHaveResourceWithProperties(KeyVaultKey, { rotation_policy: oc({ expire_after: "P180D" }) });
  });

  it("has no key type prop", () => {
    const p: ConstructorParameters<typeof CustomerManagedKeys>[2] = {
      keyVaultId: "/kv",
      namePrefix: "c",
      // @ts-expect-error key type is not configurable
      keyType: "RSA",
    };
    expect(p).toBeDefined();
  });
});

describe("DiskEncryptionSet", () => {
  it("uses the CMK with auto rotation through a user-assigned identity with a crypto role", () => {
    const out = Testing.synthScope((s) => {
      new DiskEncryptionSet(s, "des", {
        name: "des-t",
        resourceGroupName: "rg",
        location: "westeurope",
        keyVaultId: "/kv",
        keyVersionlessId: "https://kv/keys/disks",
      });
    });
    expect(out).toHaveResourceWithProperties(AzDes, {
      encryption_type: "EncryptionAtRestWithCustomerKey",
      auto_key_rotation_enabled: true,
      key_vault_key_id: "https://kv/keys/disks",
      identity: oc({ type: "UserAssigned" }),
    });
    expect(out).toHaveResourceWithProperties(RoleAssignment, {
      scope: "/kv",
      role_definition_name: "Key Vault Crypto Service Encryption User",
      principal_type: "ServicePrincipal",
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw synthesized JSON
    const des = Object.values(JSON.parse(out).resource.azurerm_disk_encryption_set)[0] as Record<string, any>;
    expect(des.depends_on[0]).toMatch(/azurerm_role_assignment/);
  });
});
