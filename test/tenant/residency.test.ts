import raw from "../../policies/data/residency.json";
import {
  isGlobalLocationType,
  isKnownRegion,
  isZone,
  pairedRegion,
  pairNote,
  pairStaysInZone,
  regionsOf,
  residencyCatalogue,
  zoneIds,
  zoneOf,
} from "../../lib/residency";

describe("residency catalogue (policies/data/residency.json)", () => {
  it("has exactly the shape Rego reads as data.residency", () => {
    expect(Object.keys(raw)).toEqual(["residency"]);
    const r = raw.residency as Record<string, unknown>;
    expect(Object.keys(r).sort()).toEqual(["global_location_types", "notes", "pairs", "zones"]);
    for (const z of Object.values(raw.residency.zones)) {
      expect(typeof z.name).toBe("string");
      expect(z.regions.length).toBeGreaterThan(0);
      for (const region of z.regions) expect(region).toMatch(/^[a-z][a-z0-9]*$/);
    }
    for (const [a, b] of Object.entries(raw.residency.pairs)) {
      expect(typeof b).toBe("string");
      expect(isKnownRegion(a)).toBe(true);
      expect(isKnownRegion(b)).toBe(true);
    }
    expect(raw.residency.global_location_types).toEqual(
      expect.arrayContaining([
        "azurerm_private_dns_zone",
        "azurerm_private_dns_zone_virtual_network_link",
        "azurerm_resource_group_template_deployment",
      ]),
    );
  });

  it("covers the required zones and no region is in two zones", () => {
    expect(zoneIds()).toEqual(expect.arrayContaining(["eu", "uk", "ch", "us", "ca", "br", "au", "in", "jp"]));
    const seen = new Set<string>();
    for (const z of zoneIds()) {
      for (const region of regionsOf(z)) {
        expect(seen.has(region)).toBe(false);
        seen.add(region);
      }
    }
  });

  it("has Azure's real pairs", () => {
    const twoWay: [string, string][] = [
      ["westeurope", "northeurope"],
      ["uksouth", "ukwest"],
      ["switzerlandnorth", "switzerlandwest"],
      ["eastus", "westus"],
      ["eastus2", "centralus"],
      ["canadacentral", "canadaeast"],
      ["australiaeast", "australiasoutheast"],
      ["centralindia", "southindia"],
      ["japaneast", "japanwest"],
      ["germanywestcentral", "germanynorth"],
      ["francecentral", "francesouth"],
      ["swedencentral", "swedensouth"],
    ];
    for (const [a, b] of twoWay) {
      expect(pairedRegion(a)).toBe(b);
      expect(pairedRegion(b)).toBe(a);
    }
    expect(pairedRegion("brazilsouth")).toBe("southcentralus");
    expect(pairedRegion("southcentralus")).toBe("northcentralus");
    expect(pairedRegion("polandcentral")).toBeUndefined();
  });

  it("documents every pair that crosses a zone border or is one-way", () => {
    for (const [a, b] of Object.entries(residencyCatalogue().pairs)) {
      const crosses = zoneOf(a) !== zoneOf(b);
      const oneWay = pairedRegion(b) !== a;
      if (crosses || oneWay) expect(pairNote(a)).toBeDefined();
    }
    expect(pairNote("brazilsouth")).toMatch(/crosses a border/);
  });

  it("answers zone questions", () => {
    expect(isZone("eu")).toBe(true);
    expect(isZone("europe")).toBe(false);
    expect(isZone("__proto__")).toBe(false);
    expect(isZone("toString")).toBe(false);
    expect(zoneOf("westeurope")).toBe("eu");
    expect(zoneOf("switzerlandnorth")).toBe("ch");
    expect(zoneOf("eastus2")).toBe("us");
    expect(zoneOf("mars")).toBeUndefined();
    expect(regionsOf("uk")).toEqual(["uksouth", "ukwest"]);
    expect(() => regionsOf("xx")).toThrow(/unknown residency zone "xx"/);
    expect(pairedRegion("constructor")).toBeUndefined();
  });

  it("tells whether geo-replication stays in the zone", () => {
    expect(pairStaysInZone("westeurope", "eu")).toBe(true);
    expect(pairStaysInZone("uksouth", "uk")).toBe(true);
    expect(pairStaysInZone("brazilsouth", "br")).toBe(false);
    expect(pairStaysInZone("brazilsoutheast", "br")).toBe(true);
    expect(pairStaysInZone("westus3", "us")).toBe(true);
    expect(pairStaysInZone("italynorth", "eu")).toBe(false);
    expect(pairStaysInZone("westeurope", "uk")).toBe(false);
    expect(pairStaysInZone("westeurope", "nope")).toBe(false);
  });

  it("is frozen and lists global location types", () => {
    expect(Object.isFrozen(residencyCatalogue())).toBe(true);
    expect(isGlobalLocationType("azurerm_private_dns_zone")).toBe(true);
    expect(isGlobalLocationType("azurerm_key_vault")).toBe(false);
  });
});
