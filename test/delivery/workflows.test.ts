/**
 * Supply-chain and least-privilege invariants of .github/workflows (actionlint checks syntax and types;
 * these check our own policy).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wf = (f: string) => load(text(f)) as any;

describe("workflows", () => {
  it("exist", () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining(["deploy-ring.yml", "deploy.yml", "drift.yml", "validate.yml"]),
    );
  });

  it.each(files)("%s pins every action to a full commit SHA with a version comment", (f) => {
    const uses = text(f)
      .split("\n")
      .filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const l of uses) {
      const ref = l.replace(/^\s*(-\s+)?uses:\s*/, "");
      if (ref.startsWith("./")) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it.each(files)("%s grants nothing at the top level and declares permissions per job", (f) => {
    const w = wf(f);
    expect(w.permissions).toEqual({});
    for (const [name, job] of Object.entries<{ permissions?: unknown }>(w.jobs)) {
      expect([name, job.permissions]).toEqual([name, expect.any(Object)]);
    }
  });

  it.each(files)("%s uses no secrets for credentials", (f) => {
    expect(text(f)).not.toMatch(/secrets\.[A-Za-z_]/);
    expect(text(f)).not.toMatch(/client-secret|creds:/);
  });

  it("deploys with OIDC, per-state concurrency, no fail-fast, protected environments", () => {
    const job = wf("deploy-ring.yml").jobs.deploy;
    expect(job.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(job.concurrency).toEqual({ group: "zonegate-state-${{ matrix.concurrency }}", "cancel-in-progress": false });
    expect(job.strategy["fail-fast"]).toBe(false);
    expect(job.strategy["max-parallel"]).toBeDefined();
    expect(job.environment).toBe("${{ matrix.environment }}");
    expect(job.env.ARM_USE_OIDC).toBe("true");
    expect(job.env.ZG_BACKEND).toBe("azurerm");
    const steps = job.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
    // One saved-plan deploy (plan -out → gate → apply that file); never `cdktf deploy`.
    expect(steps).toContain('npm run deploy -- "${stacks[@]}" "${args[@]}"');
    expect(steps).toContain('args+=(--break-glass --reason "$REASON" --approver "$APPROVER")');
    expect(steps).not.toMatch(/cdktf deploy|--auto-approve/);
    expect(steps).toContain("zonegate -- evidence verify");
  });

  it("break-glass means one thing: apply despite gate violations, with reason and approver", () => {
    const w = wf("deploy.yml");
    expect(w.on.workflow_dispatch.inputs["break-glass"].description).toMatch(/despite mandatory gate violations/);
    expect(wf("deploy-ring.yml").on.workflow_call.inputs["break-glass"].description).toMatch(/despite mandatory/);
    // Change windows have their own lever.
    expect(text("deploy.yml")).toContain("--emergency-change");
    expect(text("deploy.yml")).not.toMatch(/args\+=\(--break-glass/);
  });

  it("drift runs on a schedule with a read-only identity and reports per tenant", () => {
    const w = wf("drift.yml");
    expect(w.on.schedule[0].cron).toBeDefined();
    expect(w.jobs.drift.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(text("drift.yml")).toContain("zonegate -- drift");
    expect(text("drift.yml")).toContain("reports/evidence/");
  });

  it("pull requests plan the touched stacks, or say they fell back to synth", () => {
    const job = wf("validate.yml").jobs.plan;
    const runs = job.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
    expect(runs).toContain("scripts/touched-stacks.ts");
    expect(runs).toContain('npm run deploy -- --plan --skip-synth "${stacks[@]}"');
    expect(runs).toMatch(/synth output only/);
  });

  it("chains the rings and requires a break-glass reason", () => {
    const w = wf("deploy.yml");
    const needs = (j: string) => w.jobs[j].needs;
    expect(needs("deploy-dev")).toContain("platform-dev");
    expect(needs("platform-prod")).toContain("deploy-dev");
    expect(needs("deploy-prod-standard")).toContain("platform-prod");
    expect(needs("deploy-prod-premium")).toContain("deploy-prod-standard");
    expect(needs("deploy-prod-enterprise")).toContain("deploy-prod-premium");
    const inputs = w.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs)).toEqual([
      "scope",
      "max-parallel",
      "break-glass",
      "reason",
      "approver",
      "emergency-change",
    ]);
    expect(text("deploy.yml")).toContain("a break-glass run needs a reason");
  });

  it("validate uploads SARIF, the summary and artifacts", () => {
    const steps = wf("validate.yml").jobs.validate.steps as {
      uses?: string;
      with?: Record<string, string>;
      run?: string;
    }[];
    expect(steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!.with!.sarif_file).toBe(
      "reports/gate.sarif",
    );
    expect(steps.some((s) => s.run?.includes('cat reports/gate.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!.with!.path).toContain("cdktf.out/");
  });
});
