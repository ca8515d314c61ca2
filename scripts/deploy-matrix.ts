/**
 * Deployment matrix CLI (`npm run matrix -- …`): reads tenants/, prints the ringed matrix.
 *
 *   npm run matrix                                   # whole plan as JSON on stdout, summary on stderr
 *   npm run matrix -- --scope tier:premium --ring 2  # {"include":[…]} of one ring on stdout
 *   npm run matrix -- --github-output                # key=value lines to $GITHUB_OUTPUT (+ step summary)
 *   npm run matrix -- --assert-window acme           # exit 1 unless acme's prod change window is open now
 *   npm run matrix -- --emergency-change --reason "…" # ignore change windows, append to audit/emergency-change.log
 *
 * Exit codes: 0 ok · 1 change window closed (--assert-window) · 2 bad input (tenants, scope, options).
 */
import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { loadTenants } from "../lib/tenant/load";
import { formatProblem, formatProblems, summarizeProblems } from "../lib/tenant/problems";
import {
  RINGS,
  buildMatrix,
  githubOutputs,
  parseScope,
  renderSummary,
  toGithubMatrix,
  type DeploymentMatrix,
} from "../lib/delivery/matrix";
import { formatLocal, windowStatus } from "../lib/delivery/window";
import { appendChained } from "../lib/evidence/chain";

/** Hash-chained log of emergency changes (deploys outside change windows); break-glass has its own log. */
export const EMERGENCY_CHANGE_LOG = "audit/emergency-change.log";
const MIN_REASON = 10;
/** GitHub Actions runs at most 256 jobs per matrix. */
const GITHUB_MATRIX_LIMIT = 256;

class UsageError extends Error {}

function parseNow(v: string): Date {
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError(`"${v}" is not an ISO 8601 date-time (e.g. 2025-03-28T21:30:00Z)`);
  }
  return d;
}

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a positive integer`);
  return n;
}

function parseRing(v: string): number {
  const byName = RINGS.find((r) => r.name === v);
  if (byName) return byName.ring;
  const n = Number(v);
  if (!Number.isInteger(n) || !RINGS.some((r) => r.ring === n)) {
    throw new InvalidArgumentError(
      `ring must be 0..${RINGS.length - 1} or one of ${RINGS.map((r) => r.name).join(", ")}`,
    );
  }
  return n;
}

function load(dir: string) {
  const { tenants, problems, warnings } = loadTenants(dir);
  for (const w of warnings ?? []) process.stderr.write(`${formatProblem(w)}\n`);
  if (problems.length > 0) {
    throw new UsageError(`${summarizeProblems(problems)} in ${dir}:\n${formatProblems(problems)}`);
  }
  return tenants;
}

interface EmergencyChangeRecord {
  readonly at: string;
  readonly actor: string;
  readonly scope: string;
  readonly reason: string;
  readonly run?: string;
  readonly sha?: string;
  readonly entries: readonly string[];
}

/** Appends one hash-chained entry (lib/evidence/chain.ts) to the emergency-change log. */
export function appendEmergencyChange(file: string, rec: EmergencyChangeRecord): void {
  appendChained(file, { kind: "emergency-change", ...rec });
}

function writeGithubOutput(m: DeploymentMatrix): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) throw new UsageError("--github-output: $GITHUB_OUTPUT is not set");
  const outputs = githubOutputs(m);
  appendFileSync(
    file,
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(m));
}

export function main(argv: string[]): number {
  const program = new Command()
    .name("deploy-matrix")
    .description("Ringed deployment matrix (tenant × env × region → ordered layer stacks) from tenants/")
    .option("--scope <scope>", "all | tenant:<id>[,<id>…] | tier:<standard|premium|enterprise>", "all")
    .option("--now <iso>", "evaluate change windows at this instant instead of the clock", parseNow)
    .option("--ring <ring>", 'print only this ring\'s {"include":[…]} (0..3 or its name)', parseRing)
    .option("--max-parallel <n>", "max parallel jobs per ring", parsePositiveInt, 4)
    .option("--tenants <dir>", "tenant directory", "tenants")
    .option("--github-output", "write the matrix outputs to $GITHUB_OUTPUT and a summary to $GITHUB_STEP_SUMMARY")
    .option("--assert-window <tenant>", "exit 1 unless the tenant's prod change window is open (at --now)")
    .option("--emergency-change", "deploy prod outside change windows (needs --reason; logged)")
    .option("--reason <text>", "why the emergency change is needed (incident/change id and summary)")
    .option("--actor <name>", "who invoked it", process.env.GITHUB_ACTOR ?? process.env.USER ?? "unknown")
    .option("--audit-log <file>", "emergency-change log (hash-chained)", EMERGENCY_CHANGE_LOG)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const o = program.opts<{
    scope: string;
    now?: Date;
    ring?: number;
    maxParallel: number;
    tenants: string;
    githubOutput?: boolean;
    assertWindow?: string;
    emergencyChange?: boolean;
    reason?: string;
    actor: string;
    auditLog: string;
  }>();
  const now = o.now ?? new Date();

  try {
    const tenants = load(o.tenants);

    if (o.assertWindow) {
      const t = tenants.find((x) => x.id === o.assertWindow);
      if (!t) throw new UsageError(`--assert-window: unknown tenant ${o.assertWindow}`);
      const st = windowStatus(t.changeWindow, now);
      if (st.open) {
        console.log(`change window of ${t.id} is open until ${formatLocal(st.current!.end, t.changeWindow.timezone)}`);
        return 0;
      }
      console.error(
        `change window of ${t.id} is closed; next opens ${formatLocal(st.next!.start, t.changeWindow.timezone)} ` +
          `(${t.changeWindow.timezone}). Re-run then, or use the emergency-change procedure (docs/deploying.md).`,
      );
      return 1;
    }

    if (o.emergencyChange) {
      const reason = (o.reason ?? "").trim();
      if (reason.length < MIN_REASON) {
        throw new UsageError(
          `--emergency-change needs --reason of at least ${MIN_REASON} characters (incident id + why)`,
        );
      }
    }

    const m = buildMatrix(tenants, {
      scope: parseScope(o.scope),
      now,
      maxParallel: o.maxParallel,
      ignoreChangeWindows: o.emergencyChange === true,
    });

    if (o.emergencyChange) {
      const server = process.env.GITHUB_SERVER_URL;
      const run =
        server && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID
          ? `${server}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
          : undefined;
      const entries = m.rings
        .flatMap((r) => r.entries)
        .filter((e) => e.emergencyChange)
        .map((e) => `${e.tenant}/${e.env}/${e.region}`);
      appendEmergencyChange(resolve(o.auditLog), {
        at: now.toISOString(),
        actor: o.actor,
        scope: m.scope,
        reason: o.reason!.trim(),
        ...(run ? { run } : {}),
        ...(process.env.GITHUB_SHA ? { sha: process.env.GITHUB_SHA } : {}),
        entries,
      });
      process.stderr.write(
        `emergency change recorded in ${o.auditLog} (${entries.length} entries outside their window)\n`,
      );
    }

    process.stderr.write(renderSummary(m));
    const tooBig = m.rings.filter((r) => r.entries.length > GITHUB_MATRIX_LIMIT);
    if (o.githubOutput && tooBig.length) {
      throw new UsageError(
        `ring(s) ${tooBig.map((r) => `${r.name} (${r.entries.length})`).join(", ")} exceed GitHub's ` +
          `${GITHUB_MATRIX_LIMIT}-job matrix limit; dispatch narrower scopes (tier:… or tenant:a,b,…)`,
      );
    }
    if (o.githubOutput) writeGithubOutput(m);
    if (o.ring !== undefined) {
      const ring = m.rings.find((r) => r.ring === o.ring)!;
      process.stdout.write(JSON.stringify(toGithubMatrix(ring.entries)) + "\n");
    } else if (!o.githubOutput) {
      process.stdout.write(JSON.stringify(m, null, 2) + "\n");
    }
    return 0;
  } catch (e) {
    process.stderr.write(`deploy-matrix: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
