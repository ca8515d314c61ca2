/**
 * The hostile suite (issue #10): every case under test/fixtures/hostile/<class>/<case>/case.json (format in
 * /work/coord/COMMON.md: args with {case}/{tmp}, expected exit, stderr substring, optional setup hook from
 * ./setups.ts and env), plus programmatic fault injections: signals mid-gate, read-only and full report
 * directories, failing writes, forged output, stale locks — and, with ZG_SLOW=1 (`npm run test:hostile`,
 * .ci/run), kill -9 at every step of `run`, concurrent runs, and the 100k-resource plan.
 *
 * Every outcome is judged the same way (./harness.ts): exit code, no stack trace or raw runtime error, no
 * hang, no damaged or partial output, no raw control characters. The tally line is printed at the end:
 * `hostile: N cases, 0 exit-0-on-refusal, 0 raw errors, 0 hangs, 0 damaged outputs`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  REPO,
  RAW_CONTROL,
  Tally,
  pool,
  rawErrors,
  reportDamage,
  runCli,
  sameTree,
  snapshot,
  tmp,
  treeBytes,
  reportBytes,
  xmlProblems,
  type RunOutcome,
} from "./harness";
import { SETUPS } from "./setups";
import { readersHooks } from "./readers-hooks";
import { KILL_STEPS } from "../../lib/faults";

const SLOW = process.env.ZG_SLOW === "1";
const FIXTURES = path.join(REPO, "test", "fixtures", "hostile");
const tally = new Tally();

interface CaseSpec {
  readonly description: string;
  readonly args: string[];
  readonly exit: number;
  readonly stderr: string;
  readonly setup?: string;
  readonly env?: Record<string, string>;
  readonly allowInternal?: boolean;
}

function findCases(dir = FIXTURES): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (!e.isDirectory()) return [];
      return fs.existsSync(path.join(p, "case.json")) ? [p] : findCases(p);
    })
    .sort();
}

// ZG_HOSTILE_FILTER=<substring> runs only matching fixture cases (while working on one class).
const cases = findCases().filter((c) => !process.env.ZG_HOSTILE_FILTER || c.includes(process.env.ZG_HOSTILE_FILTER));
const results = new Map<string, { spec: CaseSpec; outcome: RunOutcome; damage: string[] }>();

const PLAN_ARGS = [
  "gate",
  "--plan",
  "test/fixtures/plans/noncompliant.plan.json",
  "--residency",
  "eu",
  "--frameworks",
  "pci-dss-4.0",
  "--tier",
  "enterprise",
  "--env",
  "prod",
];

/** Judge one programmatic outcome and record it in the tally. */
function judge(
  name: string,
  o: RunOutcome,
  want: { exit?: number; refusal: boolean; stderr?: RegExp; reports?: string; before?: Map<string, string> },
  other: string[] = [],
): void {
  const raw = rawErrors(o);
  // Reports must not be written (or replaced) by a run that could not decide (exit 2).
  const damage = want.reports ? reportDamage(want.reports, { refused: o.code === 2, before: want.before }) : [];
  const problems = [...other];
  if (want.exit !== undefined && o.code !== want.exit)
    problems.push(`exit ${o.code} (signal ${o.signal}), expected ${want.exit}`);
  if (want.stderr && !want.stderr.test(o.stderr))
    problems.push(`stderr lacks ${want.stderr}: ${o.stderr.slice(0, 300)}`);
  if (RAW_CONTROL.test(o.stdout + o.stderr)) problems.push("raw control characters in the console output");
  tally.record(name, { refusalExpected: want.refusal, outcome: o, raw, damage, other: problems });
  expect({ name, problems, raw, damage, timedOut: o.timedOut }).toEqual({
    name,
    problems: [],
    raw: [],
    damage: [],
    timedOut: false,
  });
}

describe("hostile inputs (test/fixtures/hostile)", () => {
  beforeAll(async () => {
    await pool(cases, 3, async (dir) => {
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8")) as CaseSpec;
      const t = tmp();
      const setup = spec.setup ? SETUPS[spec.setup] : undefined;
      // The readers' hooks (FIFOs inside the case directory) return their own cleanup.
      const readers = spec.setup ? readersHooks[spec.setup] : undefined;
      if (spec.setup && !setup && !readers) throw new Error(`${dir}: unknown setup ${spec.setup}`);
      const cleanup = readers?.(dir);
      const env = { ...(setup?.(dir, t).env ?? {}), ...(spec.env ?? {}) };
      const rel = path.relative(REPO, dir);
      const args = spec.args.map((a) => a.replace(/\{case\}/g, rel).replace(/\{tmp\}/g, t));
      const outIdx = args.indexOf("--out");
      const outDir = outIdx >= 0 ? args[outIdx + 1] : undefined;
      let outcome: Awaited<ReturnType<typeof runCli>>;
      try {
        outcome = await runCli(args, { env, timeoutMs: 60_000 });
      } finally {
        cleanup?.();
      }
      const damage = outDir ? reportDamage(path.resolve(REPO, outDir), { refused: spec.exit === 2 }) : [];
      results.set(dir, { spec, outcome, damage });
    });
  }, 900_000);

  test("the corpus is there (≥ 100 cases of this suite's own classes)", () => {
    if (!process.env.ZG_HOSTILE_FILTER) expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  test.each(cases.map((c) => [path.relative(FIXTURES, c), c]))("%s", (name, dir) => {
    const r = results.get(dir)!;
    const { spec, outcome: o } = r;
    const raw = rawErrors(o, spec.allowInternal);
    const other: string[] = [];
    if (o.code !== spec.exit) other.push(`exit ${o.code} (signal ${o.signal}), expected ${spec.exit}`);
    if (!o.stderr.includes(spec.stderr)) other.push(`stderr lacks "${spec.stderr}": ${o.stderr.slice(0, 400)}`);
    if (RAW_CONTROL.test(o.stdout + o.stderr)) other.push("raw control characters in the console output");
    if (spec.exit !== 0 && /gate: PASS/.test(o.stdout + o.stderr)) other.push("prints PASS although it refuses");
    tally.record(`fixture ${name}`, { refusalExpected: spec.exit !== 0, outcome: o, raw, damage: r.damage, other });
    expect({ other, raw, damage: r.damage, timedOut: o.timedOut }).toEqual({
      other: [],
      raw: [],
      damage: [],
      timedOut: false,
    });
  });
});

describe("fault injection (fast)", () => {
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    test(`${sig} mid-gate → exit 2 with one line, no reports`, async () => {
      const out = path.join(tmp(), "reports");
      const o = await runCli([...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", out], {
        env: { ZG_TEST_PAUSE_AT: "evaluate" },
        onStderr: (text, child) => {
          if (text.includes("paused at evaluate") && !child.killed) child.kill(sig);
        },
      });
      judge(`signal ${sig}`, o, {
        exit: 2,
        refusal: true,
        stderr: new RegExp(`interrupted by ${sig}.*no verdict \\(exit 2\\)`),
        reports: out,
      });
      expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    }, 60_000);
  }

  test("--debug shows the stack of an internal error (and only then)", async () => {
    const o = await runCli([...PLAN_ARGS, "--debug"], { env: { ZG_TEST_FAULT: "uncaught" } });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/\n\s+at /);
    tally.record("--debug stack", { refusalExpected: true, outcome: o });
  }, 60_000);

  /** Write a complete report set first, then fail the next run's writes: the first set must stay intact. */
  async function previousSet(dir: string): Promise<Map<string, string>> {
    const first = await runCli([...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", dir]);
    expect(first.code).toBe(1);
    return snapshot(dir);
  }

  for (const target of ["gate.json", "gate.junit.xml", "gate.md"]) {
    test(`a write failure on ${target} (injected ENOSPC) → exit 2, no report replaced, no temps`, async () => {
      const dir = path.join(tmp(), "reports");
      const before = await previousSet(dir);
      const o = await runCli(
        [...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", dir, "--waivers", "/nonexistent-ok"],
        {
          env: { ZG_TEST_FAIL_WRITE: target },
        },
      );
      // (a missing --waivers file is refused first — run again without it to reach the writes)
      expect(o.code).toBe(2);
      const o2 = await runCli([...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", dir], {
        env: { ZG_TEST_FAIL_WRITE: target },
      });
      judge(`write failure ${target}`, o2, {
        exit: 2,
        refusal: true,
        stderr: /no space left on device — no report was replaced/,
        reports: dir,
        before,
      });
    }, 120_000);
  }

  const canMount = (() => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
    const d = tmp("zg-mnt-probe-");
    const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", d]);
    if (r.status !== 0) return false;
    spawnSync("umount", [d]);
    return true;
  })();

  (canMount ? test : test.skip)(
    "a read-only reports directory (ro tmpfs) → exit 2 'read-only file system'",
    async () => {
      const d = tmp("zg-ro-");
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", d]);
      try {
        const o = await runCli([...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", d]);
        judge("read-only reports dir", o, { exit: 2, refusal: true, stderr: /read-only file system/, reports: d });
      } finally {
        spawnSync("umount", [d]);
      }
    },
    60_000,
  );

  (canMount ? test : test.skip)(
    "a full disk (tiny tmpfs) → exit 2 'no space left', earlier reports intact",
    async () => {
      const d = tmp("zg-full-");
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", d]);
      try {
        const before = await previousSet(d);
        // Fill the file system up to ~16 KiB: less than one report set needs.
        const st = fs.statfsSync(d);
        const free = st.bavail * st.bsize;
        const need = [...before.values()].reduce((a, t) => a + Buffer.byteLength(t), 0);
        expect(need).toBeGreaterThan(32 * 1024);
        fs.writeFileSync(path.join(d, "filler.bin"), Buffer.alloc(Math.max(0, free - 16 * 1024)));
        const o = await runCli([...PLAN_ARGS, "--format", "json,sarif,junit,markdown", "--out", d]);
        judge("full disk", o, { exit: 2, refusal: true, stderr: /no space left on device/, reports: d, before });
      } finally {
        spawnSync("umount", [d]);
      }
    },
    60_000,
  );

  test("stale report temps of a killed run are removed by the next run", async () => {
    const dir = path.join(tmp(), "reports");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, ".gate.sarif.tmp-999999"), '{"cut');
    const o = await runCli([...PLAN_ARGS, "--format", "json,sarif", "--out", dir]);
    judge("stale report temps", o, { exit: 1, refusal: true, reports: dir });
    expect(fs.readdirSync(dir).sort()).toEqual(["gate.json", "gate.sarif", "history.jsonl", "index.html"]);
  }, 60_000);
});

describe("output that cannot be forged", () => {
  const evil: [string, string][] = [
    ["ansi-pass", "kv\u001b[2K\r\u001b[32mzonegate gate: PASS — 0 mandatory violations\u001b[0m"],
    ["carriage-return", "kv\rzonegate gate: PASS"],
    ["bidi-override", "kv\u202enoitaloiv\u202c"],
    ["newline-row", "kv\n| ✅ | forged | row |"],
    ["c1-and-del", "kv\u0085\u009b31m\u007f"],
    ["xml-breakers", 'kv]]><injected attr="1"/><!--\u0001\u0008\ufffe'],
  ];
  test.each(evil)(
    "%s: escaped in console, SARIF, JUnit (well-formed XML), Markdown",
    async (name, label) => {
      const t = tmp();
      const plan = JSON.parse(fs.readFileSync(path.join(REPO, "test/fixtures/plans/noncompliant.plan.json"), "utf8"));
      // Hostile text in a resource's address/name and in a value a finding message quotes.
      for (const rc of plan.resource_changes ?? []) {
        if (rc.type === "azurerm_key_vault") {
          rc.name = `${rc.name}${label}`;
          rc.address = `${rc.type}.${rc.name}`;
        }
      }
      const file = path.join(t, "evil.plan.json");
      fs.writeFileSync(file, JSON.stringify(plan));
      const out = path.join(t, "reports");
      const o = await runCli([
        "gate",
        "--plan",
        file,
        "--residency",
        "eu",
        "--frameworks",
        "pci-dss-4.0",
        "--tier",
        "enterprise",
        "--env",
        "prod",
        "--format",
        "table,json,sarif,junit,markdown",
        "--out",
        out,
      ]);
      const other: string[] = [];
      if (o.code === 0) other.push("exit 0 on a non-compliant plan");
      // A forged verdict is a line that starts like the real one (raw CR/ESC are caught by RAW_CONTROL).
      if (/^\s*zonegate gate: PASS/m.test(o.stdout) && o.code !== 0)
        other.push("a forged PASS line reached the console");
      for (const f of fs.existsSync(out) ? fs.readdirSync(out) : []) {
        const text = fs.readFileSync(path.join(out, f), "utf8");
        if (f !== "gate.json" && RAW_CONTROL.test(text)) other.push(`${f} holds raw control characters`);
        if (f.endsWith(".xml")) other.push(...xmlProblems(text).map((p) => `${f}: ${p}`));
        if (f.endsWith(".md") && /\n\| ✅ \| forged/.test(text)) other.push("a forged Markdown row");
      }
      judge(`forged output ${name}`, o, { refusal: true, reports: out }, other);
    },
    60_000,
  );
});

describe("locks", () => {
  test("a lock left by a killed run (dead pid) is taken over; a live one is waited for", async () => {
    const { acquireLock } = await import("../../lib/fs/lock");
    const t = path.join(tmp(), "cdktf.out");
    fs.writeFileSync(`${t}.lock`, "999999");
    const release = await acquireLock(t, { waitMs: 2000 });
    expect(fs.readFileSync(`${t}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${t}.lock`)).toBe(false);
    fs.writeFileSync(`${t}.lock`, String(process.ppid));
    await expect(acquireLock(t, { waitMs: 300 })).rejects.toThrow(/being written by another zonegate run/);
    tally.record("locks", { refusalExpected: false });
  });
});

(SLOW ? describe : describe.skip)("slow: kill -9 at every step of run, concurrent runs, 100k plan", () => {
  let work: string;
  let clean: { synth: Map<string, Buffer>; reports: Map<string, Buffer> };
  const runArgs = (w: string) => ["run", "--synth-dir", path.join(w, "cdktf.out"), "--out", path.join(w, "reports")];
  const env = (w: string, extra: Record<string, string> = {}) => ({ ZG_CACHE_DIR: path.join(w, "cache"), ...extra });

  beforeAll(async () => {
    work = tmp("zg-kill-");
    const o = await runCli(runArgs(work), { env: env(work), timeoutMs: 600_000 });
    expect(o.code).toBe(0);
    clean = { synth: treeBytes(path.join(work, "cdktf.out")), reports: reportBytes(path.join(work, "reports")) };
  }, 900_000);

  test.each([...KILL_STEPS])(
    "kill -9 at %s: gate never passes on damaged leftovers; the next run is byte-identical",
    async (step) => {
      const o = await runCli(runArgs(work), { env: env(work, { ZG_TEST_KILL_AT: step }), timeoutMs: 600_000 });
      const other: string[] = [];
      if (o.signal !== "SIGKILL") other.push(`the run was not killed at ${step} (exit ${o.code})`);
      const synthDir = path.join(work, "cdktf.out");
      const leftovers = treeBytes(synthDir);
      const g = await runCli(["gate", "--synth", synthDir, "--no-cache"], { timeoutMs: 300_000 });
      if (g.code === 0 && !sameTree(leftovers, clean.synth)) other.push("gate passed on a damaged cdktf.out");
      if (g.code !== 0 && g.code !== 2) other.push(`gate on leftovers exited ${g.code}`);
      if (rawErrors(g).length) other.push(`gate on leftovers: ${rawErrors(g)[0]}`);
      // Right after the kill: every visible report is complete (hidden temps of the killed process may remain)…
      const damage = reportDamage(path.join(work, "reports"), { refused: false }).filter((d) => !/^temp file/.test(d));
      const next = await runCli(runArgs(work), { env: env(work), timeoutMs: 600_000 });
      // …and the next run removes them.
      damage.push(...reportDamage(path.join(work, "reports"), { refused: false }));
      if (next.code !== 0) other.push(`next run exited ${next.code}: ${next.stderr.slice(0, 300)}`);
      if (!sameTree(treeBytes(synthDir), clean.synth)) other.push("next run's cdktf.out differs from a clean run");
      if (!sameTree(reportBytes(path.join(work, "reports")), clean.reports))
        other.push("next run's reports differ from a clean run");
      const stale = fs.readdirSync(work).filter((n) => /\.(tmp|old)-\d+$/.test(n));
      if (stale.length) other.push(`leftovers not removed: ${stale.join(", ")}`);
      tally.record(`kill -9 at ${step}`, {
        refusalExpected: false,
        outcome: next,
        raw: rawErrors(next),
        damage,
        other,
      });
      expect({ other, damage }).toEqual({ other: [], damage: [] });
    },
    900_000,
  );

  test("two concurrent runs: both succeed, output identical to a clean run", async () => {
    const [a, b] = await Promise.all([
      runCli(runArgs(work), { env: env(work), timeoutMs: 600_000 }),
      runCli(runArgs(work), { env: env(work), timeoutMs: 600_000 }),
    ]);
    const other: string[] = [];
    if (a.code !== 0 || b.code !== 0)
      other.push(`exits ${a.code}/${b.code}: ${a.stderr.slice(-200)} ${b.stderr.slice(-200)}`);
    if (!sameTree(treeBytes(path.join(work, "cdktf.out")), clean.synth))
      other.push("cdktf.out differs from a clean run");
    if (!sameTree(reportBytes(path.join(work, "reports")), clean.reports))
      other.push("reports differ from a clean run");
    tally.record("concurrent runs", {
      refusalExpected: false,
      outcome: a,
      raw: [...rawErrors(a), ...rawErrors(b)],
      other,
    });
    expect(other).toEqual([]);
  }, 900_000);

  test("the 100k-resource plan (~240 MB) gates within 2 GB (heap capped at 1400 MB, as documented), with a verdict", async () => {
    const { generatePlan } = await import("../../scripts/bench/plan-gen");
    const t = tmp("zg-100k-");
    const file = path.join(t, "plan-100k.json");
    fs.writeFileSync(file, JSON.stringify(generatePlan({ resources: 100_000, seed: 1 }).plan));
    const hasTime = fs.existsSync("/usr/bin/time");
    const args = [
      "gate",
      "--plan",
      file,
      "--residency",
      "eu",
      "--frameworks",
      "pci-dss-4.0,sox",
      "--tier",
      "enterprise",
      "--env",
      "prod",
      "--format",
      "json",
    ];
    let o: RunOutcome;
    let rssKB = 0;
    if (hasTime) {
      const t0 = Date.now();
      // The compiled CLI when built (as users run it), else through tsx. V8 lets garbage grow past 2 GB on a
      // 240 MB plan unless its heap is capped; README "What the readers accept" documents the setting.
      const compiled = path.join(REPO, "dist", "lib", "cli", "zonegate.js");
      const cli = fs.existsSync(compiled) ? [compiled] : ["--import", "tsx", path.join(REPO, "lib/cli/zonegate.ts")];
      const r = spawnSync("/usr/bin/time", ["-f", "ZGRSS %M", process.execPath, ...cli, ...args], {
        cwd: REPO,
        env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=1400" },
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        timeout: 600_000,
      });
      rssKB = Number(/ZGRSS (\d+)/.exec(r.stderr)?.[1] ?? 0);
      o = {
        code: r.status,
        signal: r.signal,
        stdout: "",
        stderr: r.stderr.replace(/ZGRSS \d+\n?/, ""),
        timedOut: r.error !== undefined,
        ms: Date.now() - t0,
      };
      const verdict = JSON.parse(r.stdout) as { totals: { resources: number } };
      expect(verdict.totals.resources).toBe(100_000);
    } else o = await runCli(args, { timeoutMs: 600_000 });
    const other: string[] = [];
    if (o.code !== 1) other.push(`exit ${o.code} (the generated plan has violations): ${o.stderr.slice(0, 300)}`);
    if (rssKB > 2 * 1024 * 1024) other.push(`peak RSS ${Math.round(rssKB / 1024)} MB > 2 GB`);
    process.stdout.write(
      `hostile: 100k plan gated in ${(o.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(rssKB / 1024)} MB\n`,
    );
    tally.record("100k plan", { refusalExpected: false, outcome: o, raw: rawErrors(o), other });
    expect(other).toEqual([]);
  }, 900_000);
});

afterAll(() => {
  const line = tally.line();
  process.stdout.write(`\n${line}\n`);
  if (tally.failures.length) process.stdout.write(`${tally.failures.slice(0, 30).join("\n")}\n`);
  fs.mkdirSync(path.join(REPO, "reports"), { recursive: true });
});
