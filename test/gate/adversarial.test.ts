/**
 * The adversarial corpus (issue 9): inputs a reviewer would fail for PCI DSS v4.0 or residency, each with the
 * exit code and rule ids the gate must give, plus compliant twins that must pass (so strictness does not turn
 * into false positives).
 *
 * Layout: `test/fixtures/adversarial/<class>/<case>/expect.json` beside the input:
 *   kind "hcl"   → the case directory is a Terraform directory (`main.tf`, …), or its `main.tf/` or `tf/` subdirectory
 *   kind "plan"  → `<case>/plan.json` (`terraform show -json`)
 *   kind "synth" → `<case>/stack/cdk.tf.json` (one synthesized stack with its zonegate context)
 * expect.json: `{ description, kind, args: [gate CLI flags], exit, rules: [ids that must be among the
 * findings], compliant }`. Each case runs through the gate library (runGate) with the tenant context its args
 * describe — the same path as `zonegate gate`. Prints
 * `adversarial: N cases, N caught, 0 bypasses, K compliant controls passing`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runGate, type GateOptions } from "../../lib/gate/gate";
import { resolveTenantContext, type ContextFlags } from "../../lib/gate/context";
import { GateError } from "../../lib/gate/errors";
import { REPO, realBundleExists, tmpDir } from "./helpers";

const CORPUS = path.join(__dirname, "..", "fixtures", "adversarial");

interface Expect {
  readonly description: string;
  readonly kind: "hcl" | "plan" | "synth";
  readonly args: readonly string[];
  readonly exit: 0 | 1 | 2;
  readonly rules: readonly string[];
  readonly compliant: boolean;
}

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly expect: Expect;
}

function findCases(dir: string, out: Case[] = []): Case[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findCases(p, out);
    else if (e.name === "expect.json")
      out.push({
        name: path.relative(CORPUS, dir).split(path.sep).join("/"),
        dir,
        expect: JSON.parse(fs.readFileSync(p, "utf8")) as Expect,
      });
  }
  return out;
}

/** The gate CLI flags a case may carry, as library options. Unknown flags fail the case (never ignored). */
function parseArgs(args: readonly string[]): { ctx: ContextFlags; stackGlob?: string; waivers?: string } {
  const ctx: Record<string, string> = {};
  let stackGlob: string | undefined;
  let waivers: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`flag ${flag} has no value`);
    switch (flag) {
      case "--residency":
      case "--frameworks":
      case "--tier":
      case "--env":
      case "--tenant":
        ctx[flag.slice(2)] = value;
        break;
      case "--stack":
        stackGlob = value;
        break;
      case "--waivers":
        waivers = value;
        break;
      default:
        throw new Error(`the adversarial runner does not know the gate flag ${flag}`);
    }
  }
  return { ctx: { ...ctx, tenantsDir: path.join(REPO, "tenants") }, stackGlob, waivers };
}

/** The Terraform directory of an hcl case: a `main.tf/` (or `tf/`) subdirectory when there is one, else the case. */
function hclDir(dir: string): string {
  for (const sub of ["main.tf", "tf"]) {
    const p = path.join(dir, sub);
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) return p;
  }
  return dir;
}

interface Outcome {
  readonly exit: number;
  readonly rules: Set<string>;
  readonly error?: string;
}

async function gateCase(c: Case, emptyWaivers: string): Promise<Outcome> {
  try {
    const { ctx, stackGlob, waivers } = parseArgs(c.expect.args);
    const tenant = await resolveTenantContext(ctx);
    const input: Partial<GateOptions> =
      c.expect.kind === "hcl"
        ? { hcl: [hclDir(c.dir)] }
        : c.expect.kind === "plan"
          ? { plans: [path.join(c.dir, "plan.json")] }
          : { synth: path.join(c.dir, "stack") };
    const run = await runGate({
      ...input,
      tenant,
      stackGlob,
      root: REPO,
      // The repository's waivers.yaml must not decide a case: an empty waiver file unless the case names one.
      waivers: waivers ? path.resolve(c.dir, waivers) : emptyWaivers,
    });
    return { exit: run.verdict.exitCode, rules: new Set(run.verdict.findings.map((f) => f.rule)) };
  } catch (e) {
    if (e instanceof GateError) return { exit: 2, rules: new Set(), error: e.message };
    throw e;
  }
}

const cases = findCases(CORPUS);
const maybe = realBundleExists() ? describe : describe.skip;

maybe("adversarial corpus", () => {
  const results: { c: Case; o: Outcome }[] = [];
  let emptyWaivers: string;

  beforeAll(() => {
    emptyWaivers = path.join(tmpDir("zg-adv-"), "waivers.yaml");
    fs.writeFileSync(emptyWaivers, "[]\n");
  });

  test("the corpus has cases of every kind, with valid expectations", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const { name, expect: e } of cases) {
      expect({ name, kind: ["hcl", "plan", "synth"].includes(e.kind) }).toEqual({ name, kind: true });
      expect({ name, twin: e.compliant ? e.exit === 0 && e.rules.length === 0 : e.exit !== 0 }).toEqual({
        name,
        twin: true,
      });
      expect({ name, described: typeof e.description === "string" && e.description.length > 10 }).toEqual({
        name,
        described: true,
      });
    }
  });

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const o = await gateCase(c, emptyWaivers);
    results.push({ c, o });
    expect({ exit: o.exit, error: o.error }).toEqual({ exit: c.expect.exit, error: undefined });
    expect(c.expect.rules.filter((r) => !o.rules.has(r))).toEqual([]);
  });

  afterAll(() => {
    const bad = results.filter(({ c }) => !c.expect.compliant);
    const caught = bad.filter(
      ({ c, o }) => o.exit === c.expect.exit && o.exit !== 0 && c.expect.rules.every((r) => o.rules.has(r)),
    ).length;
    const bypasses = bad.filter(({ o }) => o.exit === 0).length;
    const twins = results.filter(({ c, o }) => c.expect.compliant && o.exit === 0).length;
    console.log(
      `adversarial: ${results.length} cases, ${caught} caught, ${bypasses} bypasses, ${twins} compliant controls passing` +
        results
          .filter(({ c, o }) => o.exit !== c.expect.exit || c.expect.rules.some((r) => !o.rules.has(r)))
          .map(
            ({ c, o }) =>
              `\n  MISMATCH ${c.name}: exit ${o.exit} (want ${c.expect.exit}), rules ${[...o.rules].join(",") || "none"} (want ${c.expect.rules.join(",") || "none"})${o.error ? ` — ${o.error}` : ""}`,
          )
          .join(""),
    );
  });
});
