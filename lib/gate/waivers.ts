/**
 * Waivers: a version-controlled YAML list (default `waivers.yaml`) of
 * `{ rule, address (glob), tenant, reason, approver, expires: YYYY-MM-DD }`.
 * A malformed file is rejected (exit 2, with file:line); an expired waiver no longer waives (the finding
 * counts and says the waiver expired); a waiver that matches no finding is reported as unused.
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";
import { minimatch } from "minimatch";
import { GateError } from "./errors";

export interface Waiver {
  readonly rule: string;
  /** Glob (minimatch) over resource addresses; also tried against `<stack>::<address>` keys. */
  readonly address: string;
  /** Tenant id, `platform` for platform stacks, or `*` for any. */
  readonly tenant: string;
  readonly reason: string;
  readonly approver: string;
  /** Last day the waiver applies (inclusive), YYYY-MM-DD. */
  readonly expires: string;
  readonly file: string;
  readonly line: number;
}

const FIELDS = ["rule", "address", "tenant", "reason", "approver", "expires"] as const;

/** Lines (1-based) where each top-level list item starts. */
function itemLines(text: string): number[] {
  const lines = text.split(/\r?\n/);
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^-(\s|$)/.test(l)) out.push(i + 1);
  });
  return out;
}

function fieldLine(text: string, start: number, end: number, field: string): number {
  const lines = text.split(/\r?\n/);
  for (let i = start - 1; i < Math.min(end - 1, lines.length); i++) {
    if (new RegExp(`^(-\\s+|\\s+)${field}\\s*:`).test(lines[i])) return i + 1;
  }
  return start;
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface LoadWaiverOptions {
  /** Rule ids of the catalogue; a waiver for any other id is rejected. */
  readonly knownRules: ReadonlySet<string>;
  /** When false, a missing file means "no waivers" (the default path); when true it is an error. */
  readonly required?: boolean;
  /** Name to show in messages (default: the path). */
  readonly display?: string;
}

export function loadWaivers(file: string, opts: LoadWaiverOptions): Waiver[] {
  const shown = opts.display ?? file;
  if (!fs.existsSync(file)) {
    if (opts.required) throw new GateError(`waiver file not found: ${shown}`);
    return [];
  }
  const text = fs.readFileSync(file, "utf8");
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: shown, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    const err = e as yaml.YAMLException;
    const line = err.mark ? err.mark.line + 1 : 1;
    throw new GateError(`${shown}:${line}: invalid YAML: ${err.reason ?? err.message}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new GateError(`${shown}:1: expected a list of waivers (- rule: …)`);
  const starts = itemLines(text);
  const problems: string[] = [];
  const out: Waiver[] = [];
  doc.forEach((item, i) => {
    const start = starts[i] ?? 1;
    const end = starts[i + 1] ?? Number.MAX_SAFE_INTEGER;
    const at = (field?: string) => `${shown}:${field ? fieldLine(text, start, end, field) : start}`;
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      problems.push(`${at()}: waiver #${i + 1} must be a mapping with ${FIELDS.join(", ")}`);
      return;
    }
    const w = item as Record<string, unknown>;
    for (const k of Object.keys(w)) {
      if (!(FIELDS as readonly string[]).includes(k))
        problems.push(`${at(k)}: unknown field "${k}" (allowed: ${FIELDS.join(", ")})`);
    }
    let ok = true;
    for (const f of FIELDS) {
      const v = w[f];
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
        problems.push(`${at(f in w ? f : undefined)}: waiver #${i + 1} is missing ${f}`);
        ok = false;
      } else if (typeof v !== "string") {
        problems.push(`${at(f)}: ${f} must be a string${f === "expires" ? " date YYYY-MM-DD" : ""}`);
        ok = false;
      }
    }
    if (!ok) return;
    const s = w as Record<(typeof FIELDS)[number], string>;
    if (!validDate(s.expires)) {
      problems.push(`${at("expires")}: expires "${s.expires}" is not a date (YYYY-MM-DD)`);
      return;
    }
    if (!opts.knownRules.has(s.rule)) {
      problems.push(`${at("rule")}: unknown rule id "${s.rule}"`);
      return;
    }
    out.push({
      rule: s.rule,
      address: s.address,
      tenant: s.tenant,
      reason: s.reason.trim(),
      approver: s.approver.trim(),
      expires: s.expires,
      file: shown,
      line: start,
    });
  });
  if (problems.length > 0) throw new GateError(`waiver file rejected:\n  ${problems.join("\n  ")}`);
  return out;
}

export interface WaivableFinding {
  readonly rule: string;
  readonly address: string;
  readonly key: string;
  /** Tenant id; null for platform stacks. */
  readonly tenant: string | null;
}

export function waiverMatches(w: Waiver, f: WaivableFinding): boolean {
  if (w.rule !== f.rule) return false;
  const tenant = f.tenant ?? "platform";
  if (w.tenant !== "*" && w.tenant !== tenant) return false;
  return minimatch(f.address, w.address) || minimatch(f.key, w.address);
}

/** Today as YYYY-MM-DD (UTC). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function isExpired(w: Waiver, day: string): boolean {
  return day > w.expires;
}
