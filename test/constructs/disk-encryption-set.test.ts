// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { DiskEncryptionSet as AzDes } from "@cdktf/provider-azurerm/lib/disk-encryption-set";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DiskEncryptionSet } from "../../constructs/disk-encryption-set";

Testing.setupJest();
const oc = expect.objectContaining;

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
