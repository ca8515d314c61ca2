// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { PrivateEndpoint as AzPrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { TenantKeyVault } from "../../constructs/key-vault";

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
