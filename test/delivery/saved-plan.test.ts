/**
 * The saved-plan runner with the real Terraform CLI on tiny terraform_data stacks (local backend, no
 * provider download): the applied plan is the gated file, a plan edited after the gate is refused,
 * dependencies are applied before dependents are planned, a failure stops the run and says what was applied,
 * drift is detected after an out-of-band change to state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run as realRun, type RunOptions } from "../../lib/cli/proc";
import { deployTargets } from "../../lib/delivery/order";
import { fileSha256, outcomeSummary, runSavedPlans, type SavedPlan } from "../../lib/delivery/saved-plan";
import { stateOf, terraformAvailable, TERRAFORM, TF_ENV, tinyEstate } from "./tf-estate";

const haveTf = terraformAvailable();
const maybe = haveTf ? describe : describe.skip;
if (!haveTf) console.warn("saved-plan tests skipped: no terraform CLI on PATH");

interface Call {
  args: string[];
  cwd: string;
  /** For apply: sha256 of the plan file at the moment Terraform was started. */
  sha?: string;
}

function recorder() {
  const calls: Call[] = [];
  const run = async (cmd: string, args: readonly string[], opts: RunOptions) => {
    const c: Call = { args: [...args], cwd: opts.cwd ?? "" };
    if (args[0] === "apply") c.sha = fileSha256(path.join(c.cwd, args[args.length - 1]));
    calls.push(c);
    return realRun(cmd, args, opts);
  };
  return { calls, terraform: { bin: TERRAFORM, env: TF_ENV, run } };
}

/** What `zonegate deploy` runs (lib/delivery/order.ts): the stacks and their dependencies, dependencies first. */
const targetsFor = (out: string, stacks: string[]) => deployTargets(out, stacks);

const pass = async () => ({ exitCode: 0 });

maybe("saved-plan deploy (real terraform)", () => {
  jest.setTimeout(120_000);

  test("applies exactly the gated plan file (same path, same sha256), nothing else", async () => {
    const out = tinyEstate([{ name: "a" }]);
    const { calls, terraform } = recorder();
    const gated: SavedPlan[] = [];
    const outcome = await runSavedPlans(targetsFor(out, ["a"]), {
      kind: "apply",
      terraform,
      gate: async (p) => {
        gated.push(p);
        // The gate read the JSON of exactly this file.
        const doc = JSON.parse(fs.readFileSync(p.planJson, "utf8"));
        expect(doc.resource_changes[0].change.after.input).toBe("a-value");
        return { exitCode: 0 };
      },
    });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.applied).toEqual(["a"]);
    expect(calls.map((c) => c.args[0])).toEqual(["init", "plan", "show", "apply"]);
    const plan = calls[1].args;
    expect(plan).toContain("-out=a.tfplan");
    const apply = calls[3];
    // `terraform apply <stack>.tfplan`: the saved file is the only thing applied.
    expect(apply.args[apply.args.length - 1]).toBe("a.tfplan");
    expect(apply.args.filter((x) => !x.startsWith("-"))).toEqual(["apply", "a.tfplan"]);
    expect(apply.sha).toBe(gated[0].sha256);
    expect(gated[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stateOf(out, "a")?.outputs?.v.value).toBe("a-value");
  });

  test("a plan file changed after the gate is refused and not applied", async () => {
    const out = tinyEstate([{ name: "a" }, { name: "b", deps: ["a"] }]);
    const { calls, terraform } = recorder();
    const outcome = await runSavedPlans(targetsFor(out, ["b"]), {
      kind: "apply",
      terraform,
      gate: async (p) => {
        if (p.stack === "b") fs.appendFileSync(p.planFile, "x"); // edited after the gate
        return { exitCode: 0 };
      },
    });
    expect(outcome.applied).toEqual(["a"]);
    expect(outcome.failure).toMatchObject({ stack: "b", step: "verify", exitCode: 2 });
    expect(outcome.failure!.message).toMatch(
      /changed after the gate \(gated sha256:[0-9a-f]{64}, now sha256:[0-9a-f]{64}\)/,
    );
    expect(calls.filter((c) => c.args[0] === "apply").map((c) => c.cwd)).toEqual([path.join(out, "stacks", "a")]);
    expect(stateOf(out, "b")).toBeUndefined();
  });

  test("dependencies are applied before dependents are planned (remote-state outputs are real values)", async () => {
    const out = tinyEstate([
      { name: "net" },
      { name: "app", deps: ["net", "kv"] },
      { name: "kv", deps: ["net"], input: "kv-value" },
    ]);
    const { calls, terraform } = recorder();
    const outcome = await runSavedPlans(targetsFor(out, ["app"]), { kind: "apply", terraform, gate: pass });
    expect(outcome.applied).toEqual(["net", "kv", "app"]);
    const seq = calls.map((c) => `${c.args[0]}:${path.basename(c.cwd)}`);
    expect(seq.indexOf("apply:net")).toBeLessThan(seq.indexOf("plan:kv"));
    expect(seq.indexOf("apply:kv")).toBeLessThan(seq.indexOf("plan:app"));
    const appPlan = JSON.parse(fs.readFileSync(outcome.planned[2].planJson, "utf8"));
    // Known at plan time because net and kv were applied first.
    expect(appPlan.resource_changes[0].change.after.input).toBe("net-value+kv-value");
  });

  test("a gate failure stops the run: dependencies applied, the failing stack and the rest not", async () => {
    const out = tinyEstate([{ name: "a" }, { name: "b", deps: ["a"] }, { name: "c", deps: ["b"] }]);
    const { calls, terraform } = recorder();
    const outcome = await runSavedPlans(targetsFor(out, ["c"]), {
      kind: "apply",
      terraform,
      gate: async (p) => ({ exitCode: p.stack === "b" ? 1 : 0 }),
    });
    expect(outcome.applied).toEqual(["a"]);
    expect(outcome.failure).toMatchObject({ stack: "b", step: "gate", exitCode: 1 });
    expect(outcome.notReached).toEqual(["c"]);
    expect(calls.some((c) => c.args[0] === "plan" && c.cwd.endsWith("/c"))).toBe(false);
    expect(outcomeSummary(outcome)).toMatch(
      /stopped at b \(gate\)[\s\S]*applied before the failure: a[\s\S]*not reached: c/,
    );
  });

  test("an apply failure stops the run and says which stacks were applied", async () => {
    const out = tinyEstate([{ name: "a" }, { name: "b", deps: ["a"], failOnApply: true }, { name: "c", deps: ["b"] }]);
    const { terraform } = recorder();
    const outcome = await runSavedPlans(targetsFor(out, ["c"]), { kind: "apply", terraform, gate: pass });
    expect(outcome.applied).toEqual(["a"]);
    expect(outcome.failure).toMatchObject({ stack: "b", step: "apply", exitCode: 2 });
    expect(outcome.failure!.message).toMatch(/apply-time failure|postcondition/i);
    expect(outcome.notReached).toEqual(["c"]);
    expect(outcomeSummary(outcome)).toMatch(/applied before the failure: a/);
  });

  test("drift: none after apply; detected after an out-of-band change to state", async () => {
    const out = tinyEstate([{ name: "a" }]);
    const { terraform } = recorder();
    const t = targetsFor(out, ["a"]);
    expect((await runSavedPlans(t, { kind: "apply", terraform, gate: pass })).applied).toEqual(["a"]);
    const before = await runSavedPlans(t, { kind: "drift-config", terraform, gate: pass });
    expect(before.failure).toBeUndefined();
    expect(before.planned[0].changes).toBe(false);
    const refresh0 = await runSavedPlans(t, { kind: "drift", terraform, gate: pass });
    expect(refresh0.planned[0].changes).toBe(false);
    expect(refresh0.applied).toEqual([]); // drift plans are never applied

    // Out of band: someone edits the state (as a portal change + refresh would).
    const file = path.join(out, "state", "a.tfstate");
    const st = JSON.parse(fs.readFileSync(file, "utf8"));
    st.serial += 1;
    const attrs = st.resources[0].instances[0].attributes;
    attrs.input = { value: "changed-in-portal", type: "string" };
    attrs.output = { value: "changed-in-portal", type: "string" };
    fs.writeFileSync(file, JSON.stringify(st));

    const after = await runSavedPlans(t, { kind: "drift-config", terraform, gate: pass });
    expect(after.failure).toBeUndefined();
    expect(after.planned[0].changes).toBe(true);
    const doc = JSON.parse(fs.readFileSync(after.planned[0].planJson, "utf8"));
    expect(doc.resource_changes[0].change.before.input).toBe("changed-in-portal");
    expect(doc.resource_changes[0].change.after.input).toBe("a-value");
    expect(after.applied).toEqual([]);
  });
});
