/**
 * CLI tests. Only the process boundary (lib/cli/proc.ts) is stubbed for cdktf/terraform; the other
 * owners' modules (tenant loader, estate synth, source hasher) are replaced through the CLI's wiring (main's third argument)
 * so these tests do not depend on the real estate or on the product bundle being fresh.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildFixtureBundle, fixtureHashes, tmpDir } from "../gate/helpers";
import { synthTinyApp } from "../gate/synth-app";

jest.mock("../../lib/cli/proc", () => ({
  run: jest.fn(async () => ({ code: 0, stdout: "", stderr: "" })),
  // Terraform "installed" unless a test says otherwise (looked up without spawning).
  findExecutable: jest.fn(() => "/usr/bin/terraform"),
}));

const tenantsState: { problems: unknown[] } = { problems: [] };
const acme = {
  id: "acme",
  tier: "premium",
  residency: "eu",
  frameworks: ["pci-dss-4.0"],
  environments: ["dev", "prod"],
};
// The other owners' modules (tenant loader, estate synth, source hasher), passed to the CLI explicitly.
const W: Partial<CliWiring> = {
  // A fake tenant: only what the CLI reads of it.
  loadTenants: jest.fn(async () => ({
    tenants: tenantsState.problems.length ? [] : [acme as unknown as Tenant],
    problems: tenantsState.problems as Problem[],
  })),
  formatProblems: (ps) => ps.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n"),
  synthEstate: (_t, outdir) => {
    synthTinyApp(outdir);
    return {
      entries: [
        { stackName: "acme-prod-westeurope-foundation", tenantId: "acme" },
        { stackName: "acme-prod-westeurope-security", tenantId: "acme" },
        { stackName: "platform-prod-westeurope-compute", tenantId: null },
      ],
      resourcesPerStack: {
        "acme-prod-westeurope-foundation": 1,
        "acme-prod-westeurope-security": 2,
        "platform-prod-westeurope-compute": 1,
      },
    };
  },
  // The incremental synth (default of synth/run): the same tiny estate, as one rebuilt tenant unit and one
  // cached platform unit.
  synthIncremental: jest.fn(async (o: { outdir: string }) => {
    synthTinyApp(o.outdir);
    return {
      outdir: o.outdir,
      units: 2,
      stacks: 3,
      totalResources: 4,
      workerRssMB: [],
      rebuilt: ["tenant:acme"],
      reused: ["platform:prod:westeurope"],
      resourcesPerStack: {
        "acme-prod-westeurope-foundation": 1,
        "acme-prod-westeurope-security": 2,
        "platform-prod-westeurope-compute": 1,
      },
      unitList: [
        {
          id: "tenant:acme",
          key: "k1",
          stacks: ["acme-prod-westeurope-foundation", "acme-prod-westeurope-security"],
          rebuilt: true,
        },
        { id: "platform:prod:westeurope", key: "k2", stacks: ["platform-prod-westeurope-compute"], rebuilt: false },
      ],
      codeHash: "c",
      timings: { planMs: 0, buildMs: 0, assembleMs: 0 },
    };
  }),
  hashSources: jest.fn(async () => fixtureHashes(buildFixtureBundle())),
};

import { main as cliMain, type Io } from "../../lib/cli/zonegate";
import type { CliWiring } from "../../lib/cli/wiring";
import type { Problem } from "../../lib/tenant/load";
import type { Tenant } from "../../lib/tenant/types";

const main = (argv: readonly string[], io?: Io) => cliMain(argv, io, W);
import { findExecutable as findExecutableMock, run as runMock } from "../../lib/cli/proc";

const FIX = path.join(__dirname, "..", "fixtures");

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) },
    out,
    err,
    text: () => [...out, ...err].join("\n"),
  };
}

describe("zonegate CLI", () => {
  const cwd = process.cwd();
  let work: string;
  beforeAll(() => {
    process.env.ZONEGATE_POLICY_DIST = path.join(buildFixtureBundle(), "dist");
    process.env.ARM_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000";
  });
  beforeEach(() => {
    work = tmpDir("zg-cli-");
    process.chdir(work);
    tenantsState.problems = [];
    (runMock as jest.Mock).mockClear();
  });
  afterEach(() => process.chdir(cwd));
  afterAll(() => {
    delete process.env.ZONEGATE_POLICY_DIST;
    delete process.env.ARM_SUBSCRIPTION_ID;
  });

  test("gate on HCL without tenant context → exit 2 naming the flags", async () => {
    const c = io();
    expect(await main(["gate", "--hcl", path.join(FIX, "hcl", "basic")], c.io)).toBe(2);
    expect(c.text()).toMatch(/pass --tenant <id> .* or --residency <zone>/);
    expect(c.text()).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test("gate on HCL with --residency: exit 1 on a mandatory violation, reports written", async () => {
    const c = io();
    const code = await main(
      [
        "gate",
        "--hcl",
        path.join(FIX, "hcl", "basic"),
        "--residency",
        "eu",
        "--format",
        "table,json,sarif,junit,markdown",
        "--out",
        "r",
      ],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.text()).toMatch(/ZT-KV-001/);
    expect(fs.readdirSync(path.join(work, "r")).sort()).toEqual([
      "gate.json",
      "gate.junit.xml",
      "gate.md",
      "gate.sarif",
      "history.jsonl",
      "index.html",
    ]);
  });

  test("gate --tenant uses the tenant loader; unknown tenant → 2", async () => {
    const c = io();
    expect(
      await main(
        [
          "gate",
          "--plan",
          path.join(FIX, "plans", "synthetic_planned_values_only.json"),
          "--tenant",
          "acme",
          "--format",
          "json",
        ],
        c.io,
      ),
    ).toBe(1);
    const json = JSON.parse(c.out.join(""));
    expect(json.findings[0]).toMatchObject({ rule: "ZT-KV-001", tenant: "acme", env: "prod" });
    const d = io();
    expect(
      await main(
        ["gate", "--plan", path.join(FIX, "plans", "synthetic_planned_values_only.json"), "--tenant", "nope"],
        d.io,
      ),
    ).toBe(2);
    expect(d.text()).toMatch(/unknown tenant "nope" \(valid tenants: acme\)/);
  });

  test("bad input / bad waivers / bad format → 2", async () => {
    const plan = path.join(FIX, "plans", "synthetic_future_format.json");
    expect(await main(["gate", "--plan", plan, "--residency", "eu"], io().io)).toBe(2);
    fs.writeFileSync("w.yaml", "- rule: ZT-KV-001\n  address: '*'\n");
    const c = io();
    expect(
      await main(["gate", "--hcl", path.join(FIX, "hcl", "basic"), "--residency", "eu", "--waivers", "w.yaml"], c.io),
    ).toBe(2);
    expect(c.text()).toMatch(/w\.yaml:1: waiver #1 is missing tenant/);
    expect(
      await main(["gate", "--hcl", path.join(FIX, "hcl", "basic"), "--residency", "eu", "--format", "pdf"], io().io),
    ).toBe(2);
    expect(await main(["gate", "--bogus"], io().io)).toBe(2);
    for (const empty of ["", ",", " , "]) {
      const e = io();
      expect(
        await main(["gate", "--hcl", path.join(FIX, "hcl", "basic"), "--residency", "eu", "--format", empty], e.io),
      ).toBe(2);
      expect(e.text()).toMatch(/no report format given \(formats: table, json, sarif, junit, markdown\)/);
    }
  });

  test("validate / synth with tenant problems → exit 1 and nothing written", async () => {
    tenantsState.problems = [{ file: "tenants/acme.yaml", line: 3, column: 1, path: "tier", message: "bad tier" }];
    const c = io();
    expect(await main(["validate"], c.io)).toBe(1);
    expect(c.text()).toMatch(/tenants\/acme\.yaml:3: bad tier/);
    expect(await main(["synth"], io().io)).toBe(1);
    expect(fs.existsSync(path.join(work, "cdktf.out"))).toBe(false);
  });

  test("run: synth → gate every stack → reports/ and the table; exit code of the gate", async () => {
    const c = io();
    const code = await main(["run"], c.io);
    expect(c.text()).toMatch(/synth: acme: 2 stacks, 3 resources/);
    expect(c.text()).toMatch(/tenant +stacks +resources/);
    expect(fs.readdirSync(path.join(work, "reports")).sort()).toEqual([
      "evidence",
      "gate.json",
      "gate.junit.xml",
      "gate.md",
      "gate.sarif",
      "history.jsonl",
      "index.html",
    ]);
    // the tiny estate has a TLS1_0 storage account in prod → mandatory; VNet without flow log → advisory (estate rule ran)
    expect(code).toBe(1);
    const json = JSON.parse(fs.readFileSync(path.join(work, "reports", "gate.json"), "utf8"));
    expect(json.complete).toBe(true);
    expect(json.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(["ZT-NW-001", "ZT-ST-001"]);
  });

  test("run: the incremental synth reports rebuilt/cached per tenant; the gate cache gives the same verdict", async () => {
    const c = io();
    expect(await main(["run"], c.io)).toBe(1);
    expect(c.text()).toMatch(/synth: acme: 2 stacks, 3 resources \(rebuilt\)/);
    expect(c.text()).toMatch(/synth: platform: 1 stacks, 1 resources \(cached\)/);
    expect(c.text()).toMatch(/gate-cache: \d+ group\(s\) of 2 unit\(s\): \d+ evaluated, 0 cached/);
    // gate.json is identical across runs but for the evidence time stamp (SOURCE_DATE_EPOCH pins it).
    const gateJson = () =>
      fs.readFileSync(path.join(work, "reports", "gate.json"), "utf8").replace(/"generatedAt": "[^"]*"/, "");
    const first = gateJson();
    const d = io();
    expect(await main(["run"], d.io)).toBe(1);
    expect(d.text()).toMatch(/gate-cache: (\d+) group\(s\) of 2 unit\(s\): 0 evaluated, \d+ cached/);
    expect(gateJson()).toBe(first);
    // --no-cache: the full synth (synthEstate) and gate, same report.
    const e = io();
    expect(await main(["run", "--no-cache"], e.io)).toBe(1);
    expect(e.text()).not.toMatch(/\((rebuilt|cached)\)|gate-cache/);
    expect(gateJson()).toBe(first);
  });

  // Saved-plan deploys with the real Terraform CLI: test/cli/deploy.test.ts and test/delivery/saved-plan.test.ts.
  test("deploy without Terraform or a subscription: refuses before synth, gate or cdktf (exit 2)", async () => {
    (findExecutableMock as jest.Mock).mockReturnValueOnce(undefined);
    const c = io();
    expect(await main(["deploy", "acme-prod-westeurope-foundation"], c.io)).toBe(2);
    expect(c.text()).toMatch(/deploy cannot run here — nothing was synthesized, gated or deployed/);
    expect(c.text()).toMatch(/Terraform is not installed: `terraform` not found on PATH/);
    expect(c.text()).not.toMatch(/\n\s+at /); // no stack trace
    expect(runMock).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(work, "cdktf.out"))).toBe(false);

    const sub = process.env.ARM_SUBSCRIPTION_ID;
    delete process.env.ARM_SUBSCRIPTION_ID;
    try {
      const d = io();
      expect(await main(["deploy", "--plan", "acme-prod-westeurope-foundation"], d.io)).toBe(2);
      expect(d.text()).toMatch(/ARM_SUBSCRIPTION_ID is not set/);
      expect(d.text()).not.toMatch(/Terraform is not installed/);
      // break-glass does not bypass the preflight either
      const e = io();
      const bg = ["--break-glass", "--reason", "INC-1 payment outage", "--approver", "bob"];
      expect(await main(["deploy", "acme-prod-westeurope-security", ...bg], e.io)).toBe(2);
      expect(e.text()).toMatch(/ARM_SUBSCRIPTION_ID is not set/);
    } finally {
      process.env.ARM_SUBSCRIPTION_ID = sub;
    }
    expect(runMock).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(work, "cdktf.out"))).toBe(false);
    expect(fs.existsSync(path.join(work, "audit"))).toBe(false);
  });
  test("validate / synth / run on a directory with no tenant files → exit 1, nothing written", async () => {
    const loader = W.loadTenants as jest.Mock;
    for (const args of [["validate"], ["synth"], ["run"]]) {
      loader.mockResolvedValueOnce({ tenants: [], problems: [] });
      const c = io();
      expect(await main([...args, "--tenants", "empty"], c.io)).toBe(1);
      expect(c.text()).toMatch(
        /tenant validation failed: no tenant files \(<id>\.yaml\) in empty\/ — nothing was synthesized/,
      );
      expect(c.text()).not.toMatch(/0 tenant\(s\) valid/);
    }
    expect(fs.existsSync(path.join(work, "cdktf.out"))).toBe(false);
    expect(fs.existsSync(path.join(work, "reports"))).toBe(false);
  });
});
