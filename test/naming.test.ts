import {
  HASH_LENGTH,
  NAME_KINDS,
  NamingError,
  REGION_SHORT_CODES,
  nameFor,
  namingRule,
  regionShort,
  shortHash,
  validateName,
  type NameKind,
} from "../lib/naming";
import { knownRegions } from "../lib/residency";

const ctx = { tenant: "northwind-bank", env: "prod", region: "westeurope" };
const suffixFor = (k: NameKind): string | undefined =>
  k === "nodePool" ? "user" : k === "storageContainer" ? "audit-archive" : undefined;

describe("nameFor", () => {
  it("produces readable names", () => {
    expect(nameFor("resourceGroup", { ...ctx, suffix: "core" })).toBe("rg-northwind-bank-prd-weu-core");
    expect(nameFor("virtualNetwork", ctx)).toBe("vnet-northwind-bank-prd-weu");
    expect(nameFor("kubernetesCluster", { ...ctx, env: "staging" })).toBe("aks-northwind-bank-stg-weu");
    expect(nameFor("namespace", ctx)).toBe("northwind-bank");
    expect(nameFor("nodePool", { ...ctx, suffix: "user" })).toBe("user");
  });

  it("gives globally unique kinds a hash and keeps env and region visible", () => {
    const kv = nameFor("keyVault", ctx);
    expect(kv).toMatch(/^kv-northwi-prd-weu-[0-9a-z]{5}$/);
    const st = nameFor("storageAccount", ctx);
    expect(st).toMatch(/^stnorthwindbaprdweu[0-9a-z]{5}$/);
    expect(kv.slice(-HASH_LENGTH)).toBe(st.slice(-HASH_LENGTH));
    expect(nameFor("apiManagement", ctx)).toMatch(/^apim-northwind-bank-prd-weu-[0-9a-z]{5}$/);
    expect(nameFor("dnsPrefix", ctx)).toMatch(/^northwind-bank-prd-weu-[0-9a-z]{5}$/);
  });

  it("is deterministic", () => {
    for (const k of NAME_KINDS) {
      const c = { ...ctx, suffix: suffixFor(k) };
      expect(nameFor(k, c)).toBe(nameFor(k, { ...c }));
    }
    expect(shortHash("a/b/c/")).toBe(shortHash("a/b/c/"));
  });

  it("every kind × every catalogued region × long ids gives a valid name", () => {
    const tenants = ["ab", "abcdefghijklmnopqrst", "a1-b2-c3-d4-e5-f6-g7"];
    for (const k of NAME_KINDS) {
      for (const tenant of tenants) {
        for (const env of ["dev", "staging"]) {
          for (const region of [...knownRegions(), "newregioncentral"]) {
            for (const suffix of [suffixFor(k), "archive", "very-long-suffix-for-testing"]) {
              if (suffix === undefined && (k === "nodePool" || k === "storageContainer")) continue;
              let name: string;
              try {
                name = nameFor(k, { tenant, env, region, suffix });
              } catch (e) {
                // Only a suffix that cannot fit a 12-char node pool name may be refused.
                expect(e).toBeInstanceOf(NamingError);
                continue;
              }
              expect(validateName(k, name)).toEqual([]);
              expect(name.length).toBeLessThanOrEqual(namingRule(k).max);
            }
          }
        }
      }
    }
  });

  it("never collides for similar inputs, even after truncation", () => {
    for (const kind of ["keyVault", "storageAccount"] as const) {
      const seen = new Map<string, string>();
      const tenants = [
        "northwind-bank",
        "northwind-bank2",
        "northwind-banks",
        "northwindbank",
        "northwi",
        "north-windbank",
      ];
      for (const tenant of tenants) {
        for (const env of ["dev", "staging", "prod"]) {
          for (const region of ["westeurope", "northeurope", "eastus", "eastus2"]) {
            for (const suffix of [undefined, "a", "a-b", "ab"]) {
              const key = `${tenant}/${env}/${region}/${suffix}`;
              const name = nameFor(kind, { tenant, env, region, suffix });
              expect(seen.get(name)).toBeUndefined();
              seen.set(name, key);
            }
          }
        }
      }
    }
  });

  it("rejects impossible inputs with NamingError", () => {
    expect(() => nameFor("keyVault", { ...ctx, tenant: "Northwind" })).toThrow(NamingError);
    expect(() => nameFor("keyVault", { ...ctx, tenant: "../etc" })).toThrow(/tenant/);
    expect(() => nameFor("keyVault", { ...ctx, tenant: "nörthwind" })).toThrow(NamingError);
    expect(() => nameFor("keyVault", { ...ctx, region: "West Europe" })).toThrow(/region/);
    expect(() => nameFor("keyVault", { ...ctx, suffix: "a_b" })).toThrow(/suffix/);
    expect(() => nameFor("keyVault", { ...ctx, suffix: "" })).toThrow(/suffix/);
    expect(() => nameFor("nodePool", ctx)).toThrow(/suffix is required/);
    expect(() => nameFor("nodePool", { ...ctx, suffix: "1abc" })).toThrow(/must start with a lowercase letter/);
    expect(() => nameFor("nosuchkind" as NameKind, ctx)).toThrow(/unknown resource kind/);
    let err: unknown;
    try {
      nameFor("keyVault", { ...ctx, env: "PROD" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NamingError);
    expect((err as NamingError).problems).toHaveLength(1);
  });
});

describe("validateName", () => {
  it("enforces lengths", () => {
    const limits: [NameKind, number, number][] = [
      ["resourceGroup", 1, 90],
      ["virtualNetwork", 2, 64],
      ["subnet", 1, 80],
      ["networkSecurityGroup", 1, 80],
      ["keyVault", 3, 24],
      ["storageAccount", 3, 24],
      ["logAnalyticsWorkspace", 4, 63],
      ["kubernetesCluster", 1, 63],
      ["apiManagement", 1, 50],
      ["diskEncryptionSet", 1, 80],
      ["keyVaultKey", 1, 127],
      ["dnsPrefix", 1, 54],
      ["privateEndpoint", 2, 64],
    ];
    for (const [k, min, max] of limits) {
      expect(namingRule(k).min).toBe(min);
      expect(namingRule(k).max).toBe(max);
      expect(validateName(k, "a".repeat(max))).toEqual([]);
      expect(validateName(k, "a".repeat(max + 1))).toContain(`length ${max + 1} exceeds the maximum ${max}`);
      if (min > 1)
        expect(validateName(k, "a".repeat(min - 1))).toContain(`length ${min - 1} is below the minimum ${min}`);
    }
  });

  it("enforces character sets and shapes", () => {
    expect(validateName("storageAccount", "Stnorthwind")).toEqual([
      'contains invalid character "S" (allowed: lowercase letters and digits)',
    ]);
    expect(validateName("storageAccount", "st-north")).toHaveLength(1);
    expect(validateName("keyVault", "1kv-a")).toEqual(["must start with a letter"]);
    expect(validateName("keyVault", "kv--a")).toEqual(["must not contain consecutive hyphens"]);
    expect(validateName("keyVault", "kv-a-")).toEqual(["must end with a letter or digit"]);
    expect(validateName("keyVault", "kv_a")).toEqual([
      'contains invalid character "_" (allowed: letters, digits and hyphens)',
    ]);
    expect(validateName("apiManagement", "9apim")).toEqual(["must start with a letter"]);
    expect(validateName("resourceGroup", "rg.")).toEqual(["must end with anything but a period"]);
    expect(validateName("subnet", "snet-a_")).toEqual([]);
    expect(validateName("subnet", "-snet")).toEqual(["must start with a letter or digit"]);
    expect(validateName("keyVaultKey", "cmk_key")).toHaveLength(1);
    expect(validateName("logAnalyticsWorkspace", "log-")).toEqual(["must end with a letter or digit"]);
    expect(validateName("keyVault", "kv-nоrth")).toHaveLength(1); // Cyrillic о
    expect(validateName("keyVault", "")).toContain("length 0 is below the minimum 3");
    expect(validateName("nope" as NameKind, "x")).toEqual(['unknown resource kind "nope"']);
  });
});

describe("region short codes", () => {
  it("has a unique code for every catalogued region", () => {
    const codes = knownRegions().map(regionShort);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of knownRegions()) expect(REGION_SHORT_CODES[r]).toBeDefined();
    expect(regionShort("westeurope")).toBe("weu");
    expect(regionShort("switzerlandnorth")).toBe("chn");
  });

  it("falls back deterministically for unknown regions", () => {
    const a = regionShort("newzealandnorth");
    expect(a).toMatch(/^new[0-9a-z]{2}$/);
    expect(regionShort("newzealandnorth")).toBe(a);
    expect(regionShort("newzealandsouth")).not.toBe(a);
    expect(Object.values(REGION_SHORT_CODES)).not.toContain(a);
    expect(() => regionShort("West Europe")).toThrow(NamingError);
  });
});
