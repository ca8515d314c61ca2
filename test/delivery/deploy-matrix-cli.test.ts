/**
 * The CLI around the matrix: option parsing, --ring, --github-output, --assert-window, break-glass.
 * The tenant loader is mocked (virtual: the CLI only needs `loadTenants(dir) → { tenants, problems }`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tenant } from "./helpers";
import { verifyChain } from "../../lib/evidence/chain";

const state: { tenants: unknown[]; problems: unknown[]; dirs: string[] } = { tenants: [], problems: [], dirs: [] };
jest.mock(
  "../../lib/tenant/load",
  () => ({
    loadTenants: (dir: string) => {
      state.dirs.push(dir);
      return { tenants: state.tenants, problems: state.problems };
    },
  }),
  { virtual: true },
);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require("../../scripts/deploy-matrix") as typeof import("../../scripts/deploy-matrix");

function run(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  const l = jest.spyOn(console, "log").mockImplementation((s) => void (stdout += `${s}\n`));
  const ce = jest.spyOn(console, "error").mockImplementation((s) => void (stderr += `${s}\n`));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = main(args);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
    ce.mockRestore();
  }
}

const NOW = "2025-01-13T12:00:00Z"; // Monday
beforeEach(() => {
  state.tenants = [
    tenant("acme", "standard"),
    tenant("night", "enterprise", {
      changeWindow: { days: ["sat"], start: "22:00", durationHours: 4, timezone: "Europe/Berlin" },
    }),
  ];
  state.problems = [];
  state.dirs = [];
});

describe("deploy-matrix CLI", () => {
  it("prints one ring as a GitHub matrix", () => {
    const r = run(["--now", NOW, "--ring", "prod-standard", "--tenants", "some/dir"]);
    expect(r.code).toBe(0);
    expect(state.dirs).toEqual(["some/dir"]);
    const m = JSON.parse(r.stdout);
    expect(m.include.map((e: { stacks: string[] }) => e.stacks[0])).toEqual(["acme-prod-westeurope-foundation"]);
    expect(r.stderr).toContain("Deployment matrix");
  });

  it("prints the whole plan by default, with deferred prod entries", () => {
    const r = run(["--now", NOW, "--scope", "tenant:night"]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.scope).toBe("tenant:night");
    expect(m.deferred.map((d: { nextWindowStartLocal: string }) => d.nextWindowStartLocal)).toEqual([
      "2025-01-18T22:00:00+01:00",
    ]);
  });

  it("writes $GITHUB_OUTPUT and the step summary", () => {
    const dir = mkdtempSync(join(tmpdir(), "zg-matrix-"));
    const out = join(dir, "out");
    const sum = join(dir, "summary");
    writeFileSync(out, "");
    const r = run(["--now", NOW, "--github-output", "--max-parallel", "2"], {
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: sum,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toContain("max-parallel=2");
    expect(lines).toContain("prod-enterprise-count=0");
    expect(lines).toContain("deferred-count=1");
    const dev = lines.find((l) => l.startsWith("dev="))!;
    expect(JSON.parse(dev.slice(4)).include).toHaveLength(2);
    expect(readFileSync(sum, "utf8")).toContain("### Deferred");
  });

  it("asserts a tenant's change window", () => {
    expect(run(["--now", NOW, "--assert-window", "acme"]).code).toBe(0);
    const closed = run(["--now", NOW, "--assert-window", "night"]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/closed; next opens 2025-01-18T22:00:00\+01:00 \(Europe\/Berlin\)/);
    expect(run(["--now", NOW, "--assert-window", "ghost"]).code).toBe(2);
  });

  it("an emergency change (outside the window) requires a reason and is logged, hash-chained", () => {
    const dir = mkdtempSync(join(tmpdir(), "zg-ec-"));
    const log = join(dir, "audit", "emergency-change.log");
    const none = run(["--now", NOW, "--emergency-change", "--audit-log", log]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs --reason/);
    expect(run(["--now", NOW, "--emergency-change", "--reason", "  short ", "--audit-log", log]).code).toBe(2);
    // Break-glass is not a matrix option: it means applying despite gate violations (zonegate deploy).
    expect(run(["--now", NOW, "--break-glass", "--reason", "INC-4711 expired TLS cert"]).code).toBe(2);

    const ok = run(
      [
        "--now",
        NOW,
        "--emergency-change",
        "--reason",
        "INC-4711 expired TLS cert on APIM",
        "--ring",
        "3",
        "--audit-log",
        log,
      ],
      {
        GITHUB_ACTOR: "alice",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_RUN_ID: "9",
        GITHUB_SHA: "abc",
      },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).include[0]).toMatchObject({ tenant: "night", emergencyChange: true });
    const rec = JSON.parse(readFileSync(log, "utf8").trim());
    expect(rec).toMatchObject({
      kind: "emergency-change",
      seq: 1,
      prev: "0".repeat(64),
      at: "2025-01-13T12:00:00.000Z",
      actor: "alice",
      scope: "all",
      reason: "INC-4711 expired TLS cert on APIM",
      run: "https://github.com/o/r/actions/runs/9",
      sha: "abc",
      entries: ["night/prod/westeurope"],
    });
    expect(verifyChain(log).problems).toEqual([]);
  });

  it("refuses a ring larger than GitHub's 256-job matrix limit", () => {
    state.tenants = Array.from({ length: 257 }, (_, i) =>
      tenant(`t${String(i).padStart(3, "0")}`, "premium", { environments: ["dev"] }),
    );
    const dir = mkdtempSync(join(tmpdir(), "zg-matrix-"));
    const r = run(["--github-output"], { GITHUB_OUTPUT: join(dir, "out") });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dev \(257\) exceed GitHub's 256-job matrix limit/);
  });

  it("exits 2 on bad options and tenant problems", () => {
    expect(run(["--scope", "tier:gold"]).code).toBe(2);
    expect(run(["--now", "yesterday"]).code).toBe(2);
    expect(run(["--ring", "7"]).code).toBe(2);
    expect(run(["--max-parallel", "0"]).code).toBe(2);
    state.problems = [{ file: "tenants/x.yaml", message: "bad" }];
    const r = run(["--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tenants/x.yaml");
  });
});
