/**
 * The evidence stamp of a gate run, added to gate.json (and shown by the HTML report): when, from which
 * commit, over which exact inputs (sha256 per file), with which policy bundle and tool versions, and the
 * waiver file as evaluated. Also adds, per stack, the managed resources by type (`resourceTypes`), so that
 * the report's pass counts — (rule, resource) pairs the rule looked at and raised nothing on — can be
 * recomputed from gate.json alone (see docs/report.md "How the heat map counts").
 *
 * Deterministic except `generatedAt`, which honours SOURCE_DATE_EPOCH (reproducible-builds convention).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceModel } from "../gate/model";
import type { Verdict } from "../gate/verdict";
import { loadWaivers, type Waiver } from "../gate/waivers";
import { sha256 } from "../hash";
import { settledDigest } from "../fs/digest";
import { PKG_ROOT } from "../pkg-root";

export interface Evidence {
  /** ISO-8601 time the reports were written (SOURCE_DATE_EPOCH when set). */
  readonly generatedAt: string;
  /** The day (UTC) waiver expiry is judged against. */
  readonly evaluatedOn: string;
  readonly commit: { readonly sha: string | null; readonly dirty: boolean | null; readonly ref?: string };
  readonly versions: { readonly zonegate: string | null; readonly node: string; readonly opa: string | null };
  readonly bundle: {
    readonly wasmSha256: string | null;
    readonly dataSha256: string | null;
    readonly manifestSha256: string | null;
  };
  /** Every input file of the run (stack/plan/HCL files the resources came from), sha256 each. */
  readonly inputs: { readonly count: number; readonly sha256: string; readonly files: Record<string, string> };
  readonly waivers: { readonly file: string | null; readonly sha256: string | null; readonly count: number };
  /** Where rule source links point: a repository web URL (CI) or a path relative to reports/. */
  readonly sourceBase: string;
}

export interface ReportWaiver extends Omit<Waiver, "file"> {
  readonly file: string;
}

/** What the HTML report and gate.json carry on top of the verdict. */
export type ReportVerdict = Verdict & {
  readonly evidence?: Evidence;
  readonly waivers?: readonly ReportWaiver[];
  readonly stacks: (Verdict["stacks"][number] & { resourceTypes?: Record<string, number> })[];
};

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    }).trim();
  } catch {
    return null;
  }
}

function pkgVersion(): string | null {
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(PKG_ROOT, "package.json"), "utf8")) as { version?: string }).version ?? null
    );
  } catch {
    return null;
  }
}

function fileSha(file: string): string | null {
  // A file the gate read in this process: the digest of the bytes it read (lib/fs/digest.ts).
  const read = settledDigest(file);
  if (read) return read;
  try {
    const st = fs.statSync(file);
    if (st.isFile()) return sha256(fs.readFileSync(file));
    if (st.isDirectory()) {
      // A directory input (HCL): the hash of its files' "<name>  <sha256>" lines, sorted.
      const lines: string[] = [];
      const walk = (d: string, rel: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          if (e.name.startsWith(".")) continue;
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
          else if (e.isFile()) lines.push(`${rel}${e.name}  ${sha256(fs.readFileSync(p))}`);
        }
      };
      walk(file, "");
      return sha256(lines.join("\n"));
    }
  } catch {
    /* unreadable: recorded as null below */
  }
  return null;
}

/** sha256 of the canonical "<sha256>  <path>" listing (sha256sum format, sorted by path). */
export function inputsDigest(files: Readonly<Record<string, string>>): string {
  return sha256(
    Object.keys(files)
      .sort()
      .map((f) => `${files[f]}  ${f}\n`)
      .join(""),
  );
}

function bundleHashes(v: Verdict): Evidence["bundle"] {
  const manifest = path.join(PKG_ROOT, "policies", "dist", "manifest.json");
  let dataSha256: string | null = null;
  let manifestSha256: string | null = null;
  try {
    const text = fs.readFileSync(manifest);
    manifestSha256 = sha256(text);
    const m = JSON.parse(text.toString("utf8")) as { wasmSha256?: string; dataSha256?: string };
    // Only claim the dist manifest when it is the bundle the verdict was evaluated with.
    if (m.wasmSha256 !== v.bundle?.wasmSha256) manifestSha256 = null;
    else dataSha256 = m.dataSha256 ?? null;
  } catch {
    /* no dist manifest (e.g. a fixture bundle) */
  }
  return { wasmSha256: v.bundle?.wasmSha256 ?? null, dataSha256, manifestSha256 };
}

/** The waiver file the gate used: named by the findings / unused waivers, else ./waivers.yaml when present. */
function waiverFile(v: Verdict, explicit?: string): string | null {
  if (explicit) return explicit;
  const named = v.findings.find((f) => f.waiver)?.waiver?.file ?? v.unusedWaivers[0]?.file;
  if (named) return named;
  return fs.existsSync("waivers.yaml") ? "waivers.yaml" : null;
}

function sourceBase(): string {
  const server = process.env.GITHUB_SERVER_URL;
  const repo = process.env.GITHUB_REPOSITORY;
  const sha = process.env.GITHUB_SHA;
  if (server && repo && sha) return `${server}/${repo}/blob/${sha}/`;
  // reports/index.html → the repository root is one level up.
  return "../";
}

export interface EvidenceOptions {
  readonly now?: Date;
  readonly waiversFile?: string;
  readonly cwd?: string;
}

/** Managed (not being deleted) resources per stack and type — the resources the rules look at. */
export function resourceTypesByStack(resources: readonly ResourceModel[]): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const r of resources) {
    if (r.mode !== "managed") continue;
    if (r.actions.length > 0 && r.actions.every((a) => a === "delete")) continue;
    const t = m.get(r.stack) ?? {};
    t[r.type] = (t[r.type] ?? 0) + 1;
    m.set(r.stack, t);
  }
  for (const [k, t] of m) m.set(k, Object.fromEntries(Object.entries(t).sort(([a], [b]) => a.localeCompare(b))));
  return m;
}

function now(opts: EvidenceOptions): Date {
  if (opts.now) return opts.now;
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

/** The verdict with `evidence`, `waivers` (the waiver file as evaluated) and per-stack `resourceTypes`. */
export function withEvidence(
  v: Verdict,
  resources: readonly ResourceModel[],
  opts: EvidenceOptions = {},
): ReportVerdict {
  const cwd = opts.cwd ?? process.cwd();
  const at = now(opts);
  const files: Record<string, string> = {};
  const seen = new Set<string>();
  for (const f of [...v.stacks.map((s) => s.file), ...resources.map((r) => r.source.file)]) {
    if (!f || seen.has(f)) continue;
    seen.add(f);
    const h = fileSha(path.resolve(cwd, f));
    if (h) files[f] = h;
  }
  const sortedFiles = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((k) => [k, files[k]]),
  );
  const wfile = waiverFile(v, opts.waiversFile);
  let waivers: Waiver[] = [];
  let wsha: string | null = null;
  if (wfile) {
    const abs = path.resolve(cwd, wfile);
    wsha = fileSha(abs);
    try {
      // The gate already accepted this file (its bounds included); read again for approver/expiry of every entry.
      waivers = loadWaivers(abs, {
        knownRules: new Set(v.rules.map((r) => r.id)),
        required: false,
        display: wfile,
        bounds: null,
      });
    } catch {
      waivers = [];
    }
  }
  const sha = process.env.GITHUB_SHA || git(["rev-parse", "HEAD"], cwd);
  const status = sha ? git(["status", "--porcelain", "--untracked-files=no"], cwd) : null;
  const types = resourceTypesByStack(resources);
  const evidence: Evidence = {
    generatedAt: at.toISOString(),
    evaluatedOn: at.toISOString().slice(0, 10),
    commit: {
      sha: sha || null,
      dirty: status === null ? null : status.length > 0,
      ...(process.env.GITHUB_REF ? { ref: process.env.GITHUB_REF } : {}),
    },
    versions: { zonegate: pkgVersion(), node: process.version, opa: v.bundle?.opaVersion ?? null },
    bundle: bundleHashes(v),
    inputs: { count: Object.keys(sortedFiles).length, sha256: inputsDigest(sortedFiles), files: sortedFiles },
    waivers: { file: wfile, sha256: wsha, count: waivers.length },
    sourceBase: sourceBase(),
  };
  return {
    ...v,
    stacks: v.stacks.map((s) => ({ ...s, resourceTypes: types.get(s.name) ?? {} })),
    evidence,
    waivers: waivers.map((w) => ({ ...w, file: wfile ?? w.file })),
  };
}
