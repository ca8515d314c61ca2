/**
 * Evidence records: one JSON file per gate decision (`reports/evidence/<UTC time>-<sha12>.json`) saying what
 * was decided, on which exact inputs, by which policy bundle and tool versions, with which waivers — and an
 * entry in the hash-chained index `reports/evidence/index.jsonl` (lib/evidence/chain.ts), so a record that
 * is edited or removed later is detected by `zonegate evidence verify`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../hash";
import { settledDigest } from "../fs/digest";
import { stableStringify } from "../gate/bundle-hash";
import type { Verdict } from "../gate/verdict";
import { appendChained } from "./chain";
import { PKG_ROOT } from "../pkg-root";

export const EVIDENCE_DIR = path.join("reports", "evidence");
export const EVIDENCE_INDEX = "index.jsonl";
export const SCHEMA = "zonegate/evidence/v1";

export interface EvidenceInput {
  /** Path as given (repo-relative where possible). */
  readonly path: string;
  readonly sha256: string;
  readonly kind: string;
}

export interface EvidenceRecord {
  readonly schema: typeof SCHEMA;
  readonly time: string;
  readonly command: string;
  readonly git: { readonly commit: string; readonly source: string };
  readonly versions: { readonly zonegate: string; readonly opa: string; readonly node: string };
  readonly bundle: { readonly manifestSha256: string; readonly wasmSha256: string; readonly dataSha256: string };
  readonly inputs: readonly EvidenceInput[];
  readonly waiversApplied: readonly Record<string, unknown>[];
  readonly verdict: {
    readonly exitCode: number;
    readonly pass: boolean;
    readonly violations: number;
    readonly advisories: number;
    readonly waived: number;
    readonly stacks: number;
    readonly resources: number;
    readonly rules: readonly string[];
  };
  /** Saved-plan deploys: the plan file the gate judged (and Terraform applies). */
  readonly plan?: {
    readonly stack: string;
    readonly file: string;
    readonly sha256: string;
    readonly jsonSha256: string;
  };
  readonly offboarding?: readonly string[];
  readonly breakGlass?: {
    readonly reason: string;
    readonly approver: string;
    readonly actor: string;
    readonly entry: string;
  };
  readonly [k: string]: unknown;
}

let commitCache: { commit: string; source: string } | undefined;

/** The commit the run is built from: GITHUB_SHA in CI, else `git rev-parse HEAD`, else "unknown". */
export function gitCommit(root = PKG_ROOT): { commit: string; source: string } {
  if (process.env.GITHUB_SHA) return { commit: process.env.GITHUB_SHA, source: "GITHUB_SHA" };
  if (commitCache) return commitCache;
  try {
    const out = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    });
    commitCache = { commit: out.toString().trim(), source: "git" };
  } catch {
    commitCache = { commit: "unknown", source: "none" };
  }
  return commitCache;
}

function zonegateVersion(): string {
  try {
    return String(
      (JSON.parse(fs.readFileSync(path.join(PKG_ROOT, "package.json"), "utf8")) as { version?: string }).version,
    );
  } catch {
    return "unknown";
  }
}

/** Hashes of the policy bundle the gate used (`ZONEGATE_POLICY_DIST` or `<root>/policies/dist`). */
export function bundleEvidence(root = process.cwd()): EvidenceRecord["bundle"] & { opa: string } {
  const dist = process.env.ZONEGATE_POLICY_DIST || path.join(root, "policies", "dist");
  const file = path.join(dist, "manifest.json");
  try {
    const text = fs.readFileSync(file);
    const m = JSON.parse(text.toString("utf8")) as { opaVersion?: string; wasmSha256?: string; dataSha256?: string };
    return {
      manifestSha256: sha256(text),
      wasmSha256: String(m.wasmSha256 ?? "unknown"),
      dataSha256: String(m.dataSha256 ?? "unknown"),
      opa: String(m.opaVersion ?? "unknown"),
    };
  } catch {
    return { manifestSha256: "unknown", wasmSha256: "unknown", dataSha256: "unknown", opa: "unknown" };
  }
}

/** An input's path as the record names it (repo-relative where possible). */
export function rel(p: string): string {
  const r = path.relative(process.cwd(), path.resolve(p));
  return r && !r.startsWith("..") && !path.isAbsolute(r) ? r.split(path.sep).join("/") : path.resolve(p);
}

function walk(dir: string, keep: (f: string) => boolean, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === ".terraform" || e.name === "state" || e.name.startsWith(".")) continue;
      walk(p, keep, out);
    } else if (e.isFile() && keep(p)) out.push(p);
  }
}

/** sha256 of every file of an input: a file, or the relevant files of a directory (synth / HCL). */
export function hashInputs(paths: readonly string[], kind: string): EvidenceInput[] {
  const out: EvidenceInput[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const files: string[] = [];
    if (fs.statSync(p).isDirectory()) {
      walk(p, (f) => /(\.tf|\.tf\.json|cdk\.tf\.json|manifest\.json|\.tfplan|\.plan\.json)$/.test(f), files);
    } else files.push(p);
    // A file the gate read in this process: the digest of the bytes it read (lib/fs/digest.ts).
    for (const f of files) out.push({ path: rel(f), sha256: settledDigest(f) ?? sha256(fs.readFileSync(f)), kind });
  }
  return out;
}

export interface RecordOptions {
  readonly command: string;
  readonly verdict: Verdict;
  readonly inputs: readonly EvidenceInput[];
  readonly plan?: EvidenceRecord["plan"];
  readonly offboarding?: readonly string[];
  readonly breakGlass?: EvidenceRecord["breakGlass"];
  /** Default reports/evidence (or ZG_EVIDENCE_DIR). */
  readonly dir?: string;
  readonly now?: Date;
  readonly extra?: Record<string, unknown>;
}

export function evidenceDir(dir?: string): string {
  return dir ?? process.env.ZG_EVIDENCE_DIR ?? EVIDENCE_DIR;
}

export function buildRecord(o: RecordOptions): EvidenceRecord {
  const b = bundleEvidence();
  const v = o.verdict;
  return {
    schema: SCHEMA,
    time: (o.now ?? new Date()).toISOString(),
    command: o.command,
    git: gitCommit(),
    versions: { zonegate: zonegateVersion(), opa: v.bundle?.opaVersion ?? b.opa, node: process.version },
    bundle: {
      manifestSha256: b.manifestSha256,
      wasmSha256: v.bundle?.wasmSha256 ?? b.wasmSha256,
      dataSha256: b.dataSha256,
    },
    inputs: o.inputs,
    waiversApplied: v.findings
      .filter((f) => f.status === "waived" && f.waiver)
      .map((f) => ({
        rule: f.rule,
        key: f.key,
        approver: f.waiver!.approver,
        expires: f.waiver!.expires,
        reason: f.waiver!.reason,
        file: f.waiver!.file,
        line: f.waiver!.line,
      })),
    verdict: {
      exitCode: v.exitCode,
      pass: v.pass,
      violations: v.totals.violations,
      advisories: v.totals.advisories,
      waived: v.totals.waived,
      stacks: v.totals.stacks,
      resources: v.totals.resources,
      rules: [...new Set(v.findings.filter((f) => f.status === "violation").map((f) => f.rule))].sort(),
    },
    ...(o.plan ? { plan: o.plan } : {}),
    ...(o.offboarding?.length ? { offboarding: [...o.offboarding] } : {}),
    ...(o.breakGlass ? { breakGlass: o.breakGlass } : {}),
    ...(o.extra ?? {}),
  };
}

/** Write the record (atomically) and chain it into the index; returns the record's path. */
export function writeEvidence(o: RecordOptions): { file: string; sha256: string; record: EvidenceRecord } {
  const dir = evidenceDir(o.dir);
  const record = buildRecord(o);
  const text = stableStringify(record);
  const digest = sha256(text);
  const stamp = record.time.replace(/[-:]/g, "").replace(/\.(\d{3})Z$/, "$1Z");
  const name = `${stamp}-${digest.slice(0, 12)}.json`;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { flag: "wx" });
  fs.renameSync(tmp, file);
  appendChained(
    path.join(dir, EVIDENCE_INDEX),
    { file: name, sha256: digest, command: o.command, exitCode: record.verdict.exitCode },
    o.now,
  );
  return { file, sha256: digest, record };
}
