/**
 * `zonegate deploy`, `drift` and `evidence verify` end to end with the real Terraform CLI on tiny
 * terraform_data stacks, gated by a test bundle (rule ZT-TD-001: input "noncompliant" is a violation).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tmpDir } from "../gate/helpers";
import { buildTdBundle, stateOf, tdHashes, terraformAvailable, TF_ENV, tinyEstate } from "../delivery/tf-estate";

import { main as cliMain, type Io } from "../../lib/cli/zonegate";

/** The CLI with the test bundle's source hasher (not the product's policies/) wired in. */
const main = (argv: readonly string[], io?: Io) => cliMain(argv, io, { hashSources: () => tdHashes(buildTdBundle()) });
import { synthKeepingState } from "../../lib/cli/context";

const haveTf = terraformAvailable();
const maybe = haveTf ? describe : describe.skip;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) },
    text: () => [...out, ...err].join("\n"),
  };
}

function evidence(work: string): Record<string, unknown>[] {
  const dir = path.join(work, "reports", "evidence");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
}

maybe("zonegate deploy / drift / evidence (real terraform)", () => {
  jest.setTimeout(180_000);
  const cwd = process.cwd();
  const saved: Record<string, string | undefined> = {};
  let work: string;
  beforeAll(() => {
    for (const k of ["ZONEGATE_POLICY_DIST", "TF_CLI_CONFIG_FILE", "GITHUB_ACTOR", "USER", "ZG_EVIDENCE_DIR"])
      saved[k] = process.env[k];
    process.env.ZONEGATE_POLICY_DIST = path.join(buildTdBundle(), "dist");
    process.env.TF_CLI_CONFIG_FILE = TF_ENV.TF_CLI_CONFIG_FILE;
    process.env.GITHUB_ACTOR = "alice";
    delete process.env.ZG_EVIDENCE_DIR;
    expect(tdHashes(buildTdBundle())).toBeDefined();
  });
  beforeEach(() => {
    work = tmpDir("zg-deploy-cli-");
    process.chdir(work);
  });
  afterEach(() => process.chdir(cwd));
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test("deploy applies the gated plans in dependency order; evidence carries each plan's sha256; verify OK", async () => {
    const out = tinyEstate([{ name: "acme-a" }, { name: "acme-b", deps: ["acme-a"] }], work);
    const c = io();
    expect(await main(["deploy", "acme-b", "--skip-synth", "--synth-dir", out], c.io)).toBe(0);
    expect(c.text()).toMatch(/deploy: acme-a → acme-b \(with dependencies\)/);
    expect(c.text()).toMatch(/apply: 2 stack\(s\) applied: acme-a, acme-b/);
    expect(stateOf(out, "acme-b")?.outputs?.v.value).toBe("acme-a-value");
    const recs = evidence(work);
    expect(recs.map((r) => (r.plan as { stack: string }).stack)).toEqual(["acme-a", "acme-b"]);
    for (const r of recs) {
      expect(r).toMatchObject({ schema: "zonegate/evidence/v1", command: "deploy", verdict: { exitCode: 0 } });
      expect(r.time).toMatch(/Z$/);
      expect((r.git as { commit: string }).commit).toBeTruthy();
      expect((r.bundle as { wasmSha256: string }).wasmSha256).toMatch(/^[0-9a-f]{64}$/);
      const plan = r.plan as { file: string; sha256: string };
      const input = (r.inputs as { path: string; sha256: string; kind: string }[]).find((i) => i.kind === "plan");
      expect(input?.sha256).toBe(plan.sha256);
    }
    // The per-stack gate report exists.
    expect(fs.existsSync(path.join(work, "reports", "deploy", "acme-b", "gate.json"))).toBe(true);
    const saved = JSON.parse(
      fs.readFileSync(path.join(work, "reports", "deploy", "acme-b", "saved-plan.json"), "utf8"),
    );
    expect(saved).toMatchObject({ stack: "acme-b", planFile: "acme-b.tfplan", exitCode: 0 });
    expect(saved.sha256).toBe((recs[1].plan as { sha256: string }).sha256);
    const v = io();
    expect(await main(["evidence", "verify"], v.io)).toBe(0);
    expect(v.text()).toMatch(/2 record\(s\).*evidence verify: OK/s);
  });

  test("a mandatory violation stops the deploy: dependency applied, the stack not; break-glass needs reason + approver and is chained", async () => {
    const out = tinyEstate([{ name: "acme-a" }, { name: "acme-b", deps: ["acme-a"], input: "noncompliant" }], work);
    const c = io();
    expect(await main(["deploy", "acme-b", "--skip-synth", "--synth-dir", out], c.io)).toBe(1);
    expect(c.text()).toMatch(/ZT-TD-001/);
    expect(c.text()).toMatch(/stopped at acme-b \(gate\)[\s\S]*applied before the failure: acme-a/);
    expect(stateOf(out, "acme-b")).toBeUndefined();

    // Refused before anything runs: no reason, short reason, no approver, self-approval.
    for (const args of [
      ["--break-glass"],
      ["--break-glass", "--reason", "short"],
      ["--break-glass", "--reason", "INC-4711 payment outage"],
      ["--break-glass", "--reason", "INC-4711 payment outage", "--approver", "alice"],
    ]) {
      const r = io();
      expect(await main(["deploy", "acme-b", "--skip-synth", "--synth-dir", out, ...args], r.io)).toBe(2);
      expect(r.text()).toMatch(/--break-glass needs|--approver must be someone other/);
    }
    expect(stateOf(out, "acme-b")).toBeUndefined();

    const bg = io();
    const args = ["--break-glass", "--reason", "INC-4711 payment outage", "--approver", "bob"];
    expect(await main(["deploy", "acme-b", "--skip-synth", "--synth-dir", out, ...args], bg.io)).toBe(0);
    expect(bg.text()).toMatch(/BREAK-GLASS DEPLOY of acme-b by alice, approved by bob/);
    expect(stateOf(out, "acme-b")?.outputs?.v.value).toBe("noncompliant");
    const log = fs
      .readFileSync(path.join(work, "audit", "break-glass.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ seq: 1, actor: "alice", approver: "bob", stacks: ["acme-b"], prev: "0".repeat(64) });
    expect(log[0].findings[0]).toMatchObject({ rule: "ZT-TD-001" });
    const rec = evidence(work).find((r) => r.breakGlass);
    expect((rec!.breakGlass as { entry: string }).entry).toBe(log[0].hash);
    expect(await main(["evidence", "verify"], io().io)).toBe(0);

    // Removing the break-glass entry is detected through the evidence record that names it.
    fs.writeFileSync(path.join(work, "audit", "break-glass.log"), "");
    const t = io();
    expect(await main(["evidence", "verify"], t.io)).toBe(1);
    expect(t.text()).toMatch(/break-glass entry [0-9a-f]{12}… named by evidence record .* is missing/);
  });

  test("evidence verify names an edited record and a removed one", async () => {
    const out = tinyEstate([{ name: "acme-a" }, { name: "acme-b" }], work);
    expect(await main(["deploy", "acme-a", "acme-b", "--skip-synth", "--synth-dir", out], io().io)).toBe(0);
    const dir = path.join(work, "reports", "evidence");
    const [first, second] = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
    const rec = JSON.parse(fs.readFileSync(path.join(dir, first), "utf8"));
    rec.verdict.exitCode = 0;
    rec.verdict.violations = 0;
    rec.waiversApplied = [{ rule: "forged" }];
    fs.writeFileSync(path.join(dir, first), JSON.stringify(rec, null, 2) + "\n");
    const a = io();
    expect(await main(["evidence", "verify"], a.io)).toBe(1);
    expect(a.text()).toContain(`evidence record ${first} (entry #1) was edited`);
    fs.rmSync(path.join(dir, second));
    const b = io();
    expect(await main(["evidence", "verify"], b.io)).toBe(1);
    expect(b.text()).toContain(`evidence record ${second} (entry #2) was removed`);
  });

  test("drift: clean after deploy (exit 0), then an out-of-band state change is reported per tenant (exit 1)", async () => {
    const out = tinyEstate([{ name: "acme-a" }], work);
    expect(await main(["deploy", "acme-a", "--skip-synth", "--synth-dir", out], io().io)).toBe(0);
    const clean = io();
    expect(await main(["drift", "--skip-synth", "--synth-dir", out], clean.io)).toBe(0);
    expect(clean.text()).toMatch(/drift: acme: 1 stack\(s\), 0 drifted/);
    const file = path.join(out, "state", "acme-a.tfstate");
    const st = JSON.parse(fs.readFileSync(file, "utf8"));
    st.serial += 1;
    st.resources[0].instances[0].attributes.input = { value: "noncompliant", type: "string" };
    st.resources[0].instances[0].attributes.output = { value: "noncompliant", type: "string" };
    st.outputs.v.value = "noncompliant";
    fs.writeFileSync(file, JSON.stringify(st));
    const d = io();
    expect(await main(["drift", "--skip-synth", "--synth-dir", out], d.io)).toBe(1);
    expect(d.text()).toMatch(/drift: acme: 1 stack\(s\), 1 drifted \(acme-a \[state≠code\]\)/);
    const report = JSON.parse(fs.readFileSync(path.join(work, "reports", "drift.json"), "utf8"));
    expect(report.rows[0]).toMatchObject({ tenant: "acme", stack: "acme-a", configDrift: true });
    expect(fs.readFileSync(path.join(work, "reports", "drift.md"), "utf8")).toMatch(/\| acme \| `acme-a` \|/);
  });

  test("deploy --plan gates every stack, applies nothing, and exits with the worst verdict", async () => {
    const out = tinyEstate([{ name: "acme-a", input: "noncompliant" }, { name: "acme-b" }], work);
    const c = io();
    expect(await main(["deploy", "--plan", "acme-a", "acme-b", "--skip-synth", "--synth-dir", out], c.io)).toBe(1);
    expect(c.text()).toMatch(/deploy --plan: acme-a: gate: gate: mandatory violations/);
    expect(c.text()).toMatch(/deploy: acme-b: gated acme-b\.tfplan/);
    expect(c.text()).toMatch(/2 stack\(s\) planned and gated, nothing applied \(exit 1\)/);
    expect(stateOf(out, "acme-a")?.resources ?? []).toEqual([]);
    expect(stateOf(out, "acme-b")?.resources ?? []).toEqual([]);
  });

  test("a synth before deploy keeps the local state (cdktf.out is swapped whole)", async () => {
    const out = path.join(work, "cdktf.out");
    fs.mkdirSync(path.join(out, "state"), { recursive: true });
    fs.writeFileSync(path.join(out, "state", "x.tfstate"), "{}");
    const ctx = {
      io: io().io,
      setCode: () => undefined,
      emit: async () => undefined,
      bundle: {},
      synth: async (_t: string, dir: string) => {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
      },
    };
    await synthKeepingState(ctx, "tenants", out);
    expect(fs.readFileSync(path.join(out, "state", "x.tfstate"), "utf8")).toBe("{}");
    expect(fs.existsSync(path.join(out, "stacks"))).toBe(true);
  });

  test("deploy refuses an unknown stack and a missing terraform binary before running anything", async () => {
    const out = tinyEstate([{ name: "acme-a" }], work);
    const a = io();
    expect(await main(["deploy", "nope", "--skip-synth", "--synth-dir", out], a.io)).toBe(2);
    expect(a.text()).toMatch(/unknown stack "nope"/);
    const b = io();
    expect(
      await main(
        ["deploy", "acme-a", "--skip-synth", "--synth-dir", out, "--terraform", "/nonexistent/terraform"],
        b.io,
      ),
    ).toBe(2);
    expect(b.text()).toMatch(/Terraform is not installed/);
    expect(fs.existsSync(path.join(out, "stacks", "acme-a", ".terraform"))).toBe(false);
  });
});
