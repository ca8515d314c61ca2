/**
 * Running the zonegate CLI as a child process and judging the outcome for the hostile suite: exit code,
 * stack traces / raw runtime errors, hangs (timeout), and damaged outputs (cut or malformed reports, temp
 * files left behind, reports written by a run that refused).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLValidator } from "fast-xml-parser";

export const REPO = path.resolve(__dirname, "..", "..");
export const CLI = path.join(REPO, "lib", "cli", "zonegate.ts");

export interface RunOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

export interface RunOpts {
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Called once with the child as soon as it is spawned (e.g. to signal it later). */
  readonly onSpawn?: (child: import("node:child_process").ChildProcess) => void;
  /** Called for every stderr chunk (e.g. to wait for a pause marker). */
  readonly onStderr?: (text: string, child: import("node:child_process").ChildProcess) => void;
}

export function runCli(args: readonly string[], opts: RunOpts = {}): Promise<RunOutcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
    delete env.GITHUB_STEP_SUMMARY;
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: opts.cwd ?? REPO,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    opts.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 90_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => {
      const s = d.toString("utf8");
      stderr += s;
      opts.onStderr?.(stderr, child);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - t0 });
    });
  });
}

/** Lines that are a stack trace or a runtime error nobody turned into a message. */
export function rawErrors(o: RunOutcome, allowInternal = false): string[] {
  const out: string[] = [];
  for (const line of `${o.stdout}\n${o.stderr}`.split("\n")) {
    if (/^\s{2,}at .+/.test(line) && /[(:]\d+|native|<anonymous>/.test(line)) out.push(line);
    else if (/node:internal|JavaScript heap out of memory|FATAL ERROR/.test(line)) out.push(line);
    else if (!allowInternal && /zonegate: internal error/.test(line)) out.push(line);
    else if (
      !line.startsWith("zonegate") &&
      /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|EvalError|AggregateError)\b|Maximum call stack|is not a function|Cannot read propert|Start offset|^Error:|^\s*Error \[|E[A-Z]{3,}: [a-z ]+, (?:open|read|write|mkdir|rename|scandir)/.test(
        line,
      )
    )
      out.push(line);
  }
  return out;
}

/** Control characters that must never reach a display output raw. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Well-formed XML 1.0, by fast-xml-parser's validator and (where Python is installed) expat. */
export function xmlProblems(xml: string): string[] {
  const out: string[] = [];
  const v = XMLValidator.validate(xml);
  if (v !== true) out.push(`fast-xml-parser: ${v.err.msg} at line ${v.err.line}`);
  if (
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
      xml,
    )
  )
    out.push("characters not allowed in XML 1.0");
  const py = spawnSync("python3", ["-c", "import sys,xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())"], {
    input: Buffer.from(xml, "utf8"),
    encoding: "utf8",
  });
  if (py.error === undefined && py.status !== 0 && py.status !== null)
    out.push(`expat: ${(py.stderr || "").trim().split("\n").pop()}`);
  return out;
}

/**
 * Problems with a reports directory after a run: a report that is cut or malformed, a temp file left
 * behind, or (when the run refused) any report at all where there was none before.
 */
export function reportDamage(dir: string, opts: { refused: boolean; before?: ReadonlyMap<string, string> }): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return out;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (/\.tmp-\d+$/.test(name)) {
      out.push(`temp file left behind: ${name}`);
      continue;
    }
    if (!fs.statSync(file).isFile() || !name.startsWith("gate.")) continue;
    const text = fs.readFileSync(file, "utf8");
    if (opts.refused && opts.before && opts.before.get(name) !== text)
      out.push(`${name} was replaced by a run that refused`);
    if (opts.refused && !opts.before && /^gate\./.test(name)) out.push(`${name} written by a run that refused`);
    if (text.length === 0) out.push(`${name} is empty`);
    else if (name.endsWith(".json") || name.endsWith(".sarif")) {
      try {
        JSON.parse(text);
      } catch {
        out.push(`${name} is not complete JSON`);
      }
    } else if (name.endsWith(".xml")) out.push(...xmlProblems(text).map((p) => `${name}: ${p}`));
    else if (name.endsWith(".md") && !/zonegate gate/.test(text)) out.push(`${name} is cut`);
  }
  return out;
}

export function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!fs.existsSync(dir)) return m;
  for (const name of fs.readdirSync(dir)) {
    const f = path.join(dir, name);
    if (fs.statSync(f).isFile()) m.set(name, fs.readFileSync(f, "utf8"));
  }
  return m;
}

/** Every file under a directory, relative path → content hash input (bytes). */
export function treeBytes(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else m.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return m;
}

/**
 * The reports of a run without what legitimately differs between two identical runs: the run history and the
 * page drawn from it (history.jsonl, index.html), the per-run evidence records, and gate.json's evidence stamp
 * (time, commit). Everything else — findings, SARIF, JUnit, Markdown — must be byte-identical.
 */
export function reportBytes(dir: string): Map<string, Buffer> {
  const m = treeBytes(dir);
  for (const k of [...m.keys()]) {
    if (k === "history.jsonl" || k === "index.html" || k.startsWith(`evidence${path.sep}`)) m.delete(k);
  }
  const g = m.get("gate.json");
  if (g) {
    try {
      const doc = JSON.parse(g.toString("utf8")) as Record<string, unknown>;
      delete doc.evidence;
      m.set("gate.json", Buffer.from(JSON.stringify(doc)));
    } catch {
      // a damaged gate.json stays as it is (and differs)
    }
  }
  return m;
}

export function sameTree(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || !v.equals(w)) return false;
  }
  return true;
}

export function tmp(prefix = "zg-hostile-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The suite's tally (printed once at the end). */
export class Tally {
  cases = 0;
  exit0OnRefusal = 0;
  rawErrors = 0;
  hangs = 0;
  damaged = 0;
  readonly failures: string[] = [];
  record(
    name: string,
    r: { refusalExpected: boolean; outcome?: RunOutcome; raw?: string[]; damage?: string[]; other?: string[] },
  ): void {
    this.cases++;
    const o = r.outcome;
    if (o?.timedOut) {
      this.hangs++;
      this.failures.push(`${name}: hang (killed after ${o.ms} ms)`);
    }
    if (o && r.refusalExpected && o.code === 0) {
      this.exit0OnRefusal++;
      this.failures.push(`${name}: exit 0 where a refusal was expected`);
    }
    if (r.raw?.length) {
      this.rawErrors++;
      this.failures.push(`${name}: raw error output: ${r.raw[0].slice(0, 200)}`);
    }
    if (r.damage?.length) {
      this.damaged++;
      this.failures.push(`${name}: damaged output: ${r.damage.join("; ")}`);
    }
    for (const x of r.other ?? []) this.failures.push(`${name}: ${x}`);
  }
  line(): string {
    return `hostile: ${this.cases} cases, ${this.exit0OnRefusal} exit-0-on-refusal, ${this.rawErrors} raw errors, ${this.hangs} hangs, ${this.damaged} damaged outputs`;
  }
}

/** Run `fn` over items with at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  });
  await Promise.all(workers);
}
