import { buildMatrix, githubOutputs, parseScope, renderSummary, type MatrixEntry } from "../../lib/delivery/matrix";
import { tenant } from "./helpers";

// Monday 2025-01-13 12:00 UTC.
const NOW = new Date("2025-01-13T12:00:00Z");
const closedWindow = { days: ["sat" as const], start: "22:00", durationHours: 4, timezone: "Europe/Berlin" };

const estate = () => [
  tenant("zeta-ent", "enterprise", {
    environments: ["dev", "staging", "prod"],
    regions: ["westeurope", "northeurope"],
  }),
  tenant("acme", "standard"),
  tenant("beta", "standard", { regions: ["northeurope"] }),
  tenant("mid", "premium"),
  tenant("sandbox", "premium", { environments: ["dev"] }),
];

const keys = (es: readonly MatrixEntry[]) => es.map((e) => `${e.tenant}/${e.env}/${e.region}`);

describe("buildMatrix rings", () => {
  const m = buildMatrix(estate(), { now: NOW });

  it("orders rings dev → prod standard → premium → enterprise", () => {
    expect(m.rings.map((r) => [r.ring, r.name])).toEqual([
      [0, "dev"],
      [1, "prod-standard"],
      [2, "prod-premium"],
      [3, "prod-enterprise"],
    ]);
    expect(keys(m.rings[0].entries)).toEqual([
      "acme/dev/westeurope",
      "beta/dev/northeurope",
      "mid/dev/westeurope",
      "sandbox/dev/westeurope",
      "zeta-ent/dev/northeurope",
      "zeta-ent/dev/westeurope",
      "zeta-ent/staging/northeurope",
      "zeta-ent/staging/westeurope",
    ]);
    expect(keys(m.rings[1].entries)).toEqual(["acme/prod/westeurope", "beta/prod/northeurope"]);
    expect(keys(m.rings[2].entries)).toEqual(["mid/prod/westeurope"]);
    expect(keys(m.rings[3].entries)).toEqual(["zeta-ent/prod/northeurope", "zeta-ent/prod/westeurope"]);
    expect(m.deferred).toEqual([]);
  });

  it("lists the layer stacks in dependency order with their state prefix and GitHub environment", () => {
    const e = m.rings[2].entries[0];
    expect(e).toMatchObject({
      tenant: "mid",
      tier: "premium",
      env: "prod",
      region: "westeurope",
      ring: 2,
      backendKeyPrefix: "tenants/mid/prod/westeurope",
      environment: "prod-mid",
      concurrency: "mid-prod-westeurope",
      inChangeWindow: true,
    });
    expect(e.stacks).toEqual([
      "mid-prod-westeurope-foundation",
      "mid-prod-westeurope-network",
      "mid-prod-westeurope-security",
      "mid-prod-westeurope-audit",
      "mid-prod-westeurope-compute",
      "mid-prod-westeurope-edge",
    ]);
    expect(e.needs).toBeUndefined();
    expect(m.rings[0].entries.find((x) => x.env === "dev")!.environment).toBe("dev");
    expect(m.rings[0].entries.find((x) => x.env === "staging")!.environment).toBe("staging");
  });

  it("deploys the shared platform cluster once per env × region before standard tenants", () => {
    expect(m.rings[0].platform.map((p) => p.stacks)).toEqual([
      ["platform-dev-northeurope-compute"],
      ["platform-dev-westeurope-compute"],
    ]);
    expect(m.rings[1].platform.map((p) => [p.stacks[0], p.backendKeyPrefix, p.environment])).toEqual([
      ["platform-prod-northeurope-compute", "platform/prod/northeurope", "prod-platform"],
      ["platform-prod-westeurope-compute", "platform/prod/westeurope", "prod-platform"],
    ]);
    expect(m.rings[2].platform).toEqual([]);
    expect(m.rings[3].platform).toEqual([]);
    expect(m.rings[1].entries[0].needs).toEqual(["platform-prod-westeurope-compute"]);
  });

  it("puts a tenant without prod only in ring 0", () => {
    const all = m.rings.flatMap((r) => r.entries.filter((e) => e.tenant === "sandbox").map((e) => e.ring));
    expect(all).toEqual([0]);
    expect(m.deferred.some((d) => d.tenant === "sandbox")).toBe(false);
  });
});

describe("scope", () => {
  it("parses the scope grammar", () => {
    expect(parseScope("all")).toEqual({ kind: "all" });
    expect(parseScope("")).toEqual({ kind: "all" });
    expect(parseScope("tenant:b,a,b")).toEqual({ kind: "tenant", ids: ["a", "b"] });
    expect(parseScope("tier:premium")).toEqual({ kind: "tier", tier: "premium" });
    expect(() => parseScope("tier:gold")).toThrow(/tier must be/);
    expect(() => parseScope("tenant:Bad_Id")).toThrow(/invalid tenant id/);
    expect(() => parseScope("region:westeurope")).toThrow(/is not one of/);
  });

  it("filters to one tenant (with its platform cluster when standard)", () => {
    const m = buildMatrix(estate(), { now: NOW, scope: parseScope("tenant:acme") });
    expect(m.scope).toBe("tenant:acme");
    expect(m.rings.map((r) => keys(r.entries))).toEqual([["acme/dev/westeurope"], ["acme/prod/westeurope"], [], []]);
    expect(m.rings[1].platform.map((p) => p.stacks[0])).toEqual(["platform-prod-westeurope-compute"]);
  });

  it("filters to a tier", () => {
    const m = buildMatrix(estate(), { now: NOW, scope: parseScope("tier:premium") });
    expect(m.rings.map((r) => keys(r.entries))).toEqual([
      ["mid/dev/westeurope", "sandbox/dev/westeurope"],
      [],
      ["mid/prod/westeurope"],
      [],
    ]);
    expect(m.rings.flatMap((r) => r.platform)).toEqual([]);
  });

  it("covers everything with all", () => {
    const m = buildMatrix(estate(), { now: NOW, scope: parseScope("all") });
    expect(m.rings.reduce((n, r) => n + r.entries.length, 0)).toBe(13);
  });

  it("rejects an unknown tenant and the reserved platform id", () => {
    expect(() => buildMatrix(estate(), { scope: parseScope("tenant:nobody") })).toThrow(/unknown tenant\(s\) nobody/);
    expect(() => buildMatrix([tenant("platform", "standard")])).toThrow(/reserved/);
    expect(() => buildMatrix(estate(), { maxParallel: 0 })).toThrow(/max-parallel/);
  });
});

describe("change windows", () => {
  const tenants = () => [
    tenant("open", "standard", {
      changeWindow: { days: ["mon"], start: "12:00", durationHours: 2, timezone: "Europe/London" },
    }),
    tenant("night", "premium", { changeWindow: closedWindow, regions: ["westeurope", "northeurope"] }),
  ];

  it("defers prod entries outside the window with the next opening, never dev", () => {
    const m = buildMatrix(tenants(), { now: NOW });
    expect(keys(m.rings[0].entries)).toEqual(["night/dev/northeurope", "night/dev/westeurope", "open/dev/westeurope"]);
    expect(keys(m.rings[1].entries)).toEqual(["open/prod/westeurope"]);
    expect(m.rings[1].entries[0].windowEnds).toBe("2025-01-13T14:00:00.000Z");
    expect(m.rings[2].entries).toEqual([]);
    expect(m.deferred.map((d) => [d.tenant, d.region, d.nextWindowStart, d.nextWindowStartLocal])).toEqual([
      ["night", "northeurope", "2025-01-18T21:00:00.000Z", "2025-01-18T22:00:00+01:00"],
      ["night", "westeurope", "2025-01-18T21:00:00.000Z", "2025-01-18T22:00:00+01:00"],
    ]);
    expect(m.deferred[0]).toMatchObject({
      ring: 2,
      environment: "prod-night",
      inChangeWindow: false,
      timezone: "Europe/Berlin",
    });
  });

  it("deploys inside a window that crossed midnight", () => {
    // Sunday 00:30 Berlin: inside the Saturday 22:00 + 4 h window.
    const m = buildMatrix(tenants(), { now: new Date("2025-01-18T23:30:00Z") });
    expect(keys(m.rings[2].entries)).toEqual(["night/prod/northeurope", "night/prod/westeurope"]);
    expect(m.rings[2].entries[0].windowEnds).toBe("2025-01-19T01:00:00.000Z");
    expect(keys(m.deferred)).toEqual(["open/prod/westeurope"]);
  });

  it("follows DST of the tenant's zone (London 12:00 is 11:00Z in summer)", () => {
    expect(buildMatrix(tenants(), { now: new Date("2025-07-14T11:30:00Z") }).rings[1].entries).toHaveLength(1);
    expect(buildMatrix(tenants(), { now: new Date("2025-01-13T11:30:00Z") }).rings[1].entries).toHaveLength(0);
  });

  it("skips the platform cluster when every standard tenant of its region is deferred", () => {
    const m = buildMatrix(tenants(), { now: new Date("2025-01-14T12:00:00Z") });
    expect(m.rings[1].entries).toEqual([]);
    expect(m.rings[1].platform).toEqual([]);
    expect(m.rings[0].platform).toHaveLength(1);
  });

  it("an emergency change deploys outside the window and marks the entries", () => {
    const m = buildMatrix(tenants(), { now: NOW, ignoreChangeWindows: true });
    expect(m.deferred).toEqual([]);
    expect(m.rings[2].entries.map((e) => [e.region, e.emergencyChange, e.inChangeWindow])).toEqual([
      ["northeurope", true, false],
      ["westeurope", true, false],
    ]);
    expect(m.rings[1].entries[0].emergencyChange).toBeUndefined();
    expect(renderSummary(m)).toContain("Emergency change");
  });

  it("reports an invalid window with the tenant file", () => {
    const bad = [tenant("bad", "standard", { changeWindow: { timezone: "Nowhere/Land" } })];
    expect(() => buildMatrix(bad, { now: NOW })).toThrow(/tenant bad \(tenants\/bad.yaml\): unknown IANA time zone/);
  });
});

describe("output", () => {
  it("is deterministic regardless of input order", () => {
    const a = buildMatrix(estate(), { now: NOW });
    const shuffled = estate().reverse();
    shuffled.push(shuffled.splice(1, 1)[0]);
    const b = buildMatrix(shuffled, { now: NOW });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("emits GitHub Actions matrix outputs per ring", () => {
    const out = githubOutputs(buildMatrix(estate(), { now: NOW, maxParallel: 3 }));
    expect(Object.keys(out)).toEqual([
      "dev",
      "dev-count",
      "platform-dev",
      "platform-dev-count",
      "prod-standard",
      "prod-standard-count",
      "platform-prod-standard",
      "platform-prod-standard-count",
      "prod-premium",
      "prod-premium-count",
      "platform-prod-premium",
      "platform-prod-premium-count",
      "prod-enterprise",
      "prod-enterprise-count",
      "platform-prod-enterprise",
      "platform-prod-enterprise-count",
      "prod-environments",
      "max-parallel",
      "deferred",
      "deferred-count",
    ]);
    expect(out["max-parallel"]).toBe("3");
    expect(JSON.parse(out["prod-environments"])).toEqual([
      "prod-acme",
      "prod-beta",
      "prod-mid",
      "prod-platform",
      "prod-zeta-ent",
    ]);
    expect(out["prod-enterprise-count"]).toBe("2");
    for (const v of Object.values(out)) expect(v).not.toMatch(/\n/);
    const dev = JSON.parse(out.dev);
    expect(Object.keys(dev)).toEqual(["include"]);
    expect(dev.include[0].stacks[0]).toBe("acme-dev-westeurope-foundation");
  });
});
