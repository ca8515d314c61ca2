// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { CustomerManagedKeys } from "../../constructs/customer-managed-keys";

Testing.setupJest();
const oc = expect.objectContaining;

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
