/**
 * CustomerManagedKeys — the tenant's CMK keys in its Key Vault, one per purpose (disks, storage, AKS KMS).
 *
 * Secure by default (not props): every key is **RSA-HSM 3072** for every tier. The vault is premium for
 * every tier anyway, HSM protection costs cents per key, and one key type keeps the gate rule simple
 * (PCI DSS 3.6/3.7 key protection; no "software key for standard tier" exception to waive). Each key has an
 * `expiration_date`, a rotation policy that rotates automatically 30 days before expiry and notifies
 * 29 days before, and only the wrap/unwrap operations unless a purpose needs encrypt/decrypt.
 * `expiration_date` is computed at plan time (`timeadd(plantimestamp(), …)`) and then left to the
 * rotation policy (`ignore_changes`), so synth output stays deterministic and rotation causes no drift.
 *
 * Satisfies: ZG-DB-004, ZG-KV-007, ZG-KV-008, ZG-KV-009
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import type { ITerraformDependable } from "cdktf";

export type KeyPurpose = "disks" | "storage" | "kms";
export const KEY_PURPOSES: readonly KeyPurpose[] = ["disks", "storage", "kms"];

export type KeyOperation = "wrapKey" | "unwrapKey" | "encrypt" | "decrypt";
const OPERATIONS_BY_PURPOSE: Record<KeyPurpose, KeyOperation[]> = {
  disks: ["wrapKey", "unwrapKey"],
  storage: ["wrapKey", "unwrapKey"],
  // AKS KMS etcd encryption uses encrypt/decrypt.
  kms: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
};

export const KEY_TYPE = "RSA-HSM";
export const KEY_SIZE = 3072;
export const MIN_KEY_LIFETIME_DAYS = 90;
export const MAX_KEY_LIFETIME_DAYS = 365;

export interface CustomerManagedKeysProps {
  /** Id of the Key Vault holding the keys. Required. */
  readonly keyVaultId: string;
  /** Prefix of the key names (`<prefix>-<purpose>`). Required. */
  readonly namePrefix: string;
  /**
   * Purposes to create a key for.
   * @default ["disks", "storage", "kms"]
   */
  readonly purposes?: readonly KeyPurpose[];
  /**
   * Lifetime of a key version (cryptoperiod) in days; the rotation policy's `expire_after`. Validated
   * 90–365 (PCI DSS 3.6.4 cryptoperiod; Azure needs ≥ 28 days and rotation before expiry).
   * @default 365
   */
  readonly keyLifetimeDays?: number;
  /**
   * Resources the keys must wait for (the deployer's Key Vault role assignment).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Key tags.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export class CustomerManagedKeys extends Construct {
  public readonly keys: Partial<Record<KeyPurpose, KeyVaultKey>>;

  constructor(scope: Construct, id: string, props: CustomerManagedKeysProps) {
    super(scope, id);
    const lifetime = props.keyLifetimeDays ?? MAX_KEY_LIFETIME_DAYS;
    if (!Number.isInteger(lifetime) || lifetime < MIN_KEY_LIFETIME_DAYS || lifetime > MAX_KEY_LIFETIME_DAYS) {
      throw new Error(
        `${this.node.path}: keyLifetimeDays ${lifetime} must be an integer in ${MIN_KEY_LIFETIME_DAYS}–${MAX_KEY_LIFETIME_DAYS}`,
      );
    }
    const purposes = props.purposes ?? KEY_PURPOSES;
    if (purposes.length === 0) throw new Error(`${this.node.path}: at least one key purpose is required`);
    const keys: Partial<Record<KeyPurpose, KeyVaultKey>> = {};
    for (const purpose of purposes) {
      keys[purpose] = new KeyVaultKey(this, `key-${purpose}`, {
        name: `${props.namePrefix}-${purpose}`,
        keyVaultId: props.keyVaultId,
        keyType: KEY_TYPE,
        keySize: KEY_SIZE,
        keyOpts: OPERATIONS_BY_PURPOSE[purpose],
        expirationDate: Fn.timeadd(Fn.plantimestamp(), `${lifetime * 24}h`),
        rotationPolicy: {
          automatic: { timeBeforeExpiry: "P30D" },
          expireAfter: `P${lifetime}D`,
          notifyBeforeExpiry: "P29D",
        },
        dependsOn: props.dependsOn,
        lifecycle: { ignoreChanges: ["expiration_date"] },
        tags: props.tags,
      });
    }
    this.keys = keys;
  }

  /** The key of a purpose; throws if it was not created. */
  public key(purpose: KeyPurpose): KeyVaultKey {
    const k = this.keys[purpose];
    if (!k) throw new Error(`${this.node.path}: no "${purpose}" key`);
    return k;
  }

  /** Versionless key ids by purpose (auto-rotation follows the latest version). */
  public get versionlessKeyIds(): Partial<Record<KeyPurpose, string>> {
    return Object.fromEntries(Object.entries(this.keys).map(([p, k]) => [p, k!.versionlessId]));
  }
}
