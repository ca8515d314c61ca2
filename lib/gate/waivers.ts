/**
 * Waivers: a version-controlled YAML list (default `waivers.yaml`) of
 * `{ rule, address (glob), tenant, reason, approver | approvers, expires: YYYY-MM-DD }`.
 * A malformed file is rejected (exit 2, with file:line); an expired waiver no longer waives (the finding
 * counts and says the waiver expired); a waiver that matches no finding is reported as unused.
 *
 * Bounds (issue #9 item 6; configured in policies/data/waivers.json → `data.waiver_bounds`, signed with the
 * bundle; safe defaults when absent): a waiver may not be broader than one stack (a literal
 * `<stack>::<address glob>` and a literal tenant), may not expire more than `max_horizon_days` after today,
 * and a critical rule's finding is waivable only with `critical.min_approvers` distinct approvers from the
 * configured `approvers` list. A waiver outside the bounds makes the whole file invalid (exit 2).
 *
 * Globs use a safe syntax matched in linear-bounded time (lib/gate/glob.ts); the file must be a regular file
 * under `MAX_WAIVER_FILE_BYTES`.
 */
import * as yaml from "js-yaml";
import * as fs from "node:fs";
import { GateError } from "./errors";
import { compileGlob, globMatch, GlobError, isLiteral, literalText, type Glob } from "./glob";
import { readRegularFile } from "../fs/read";

export interface Waiver {
  readonly rule: string;
  /** Glob (minimatch) over resource addresses; also tried against `<stack>::<address>` keys. */
  readonly address: string;
  /** Tenant id, `platform` for platform stacks, or `*` for any. */
  readonly tenant: string;
  readonly reason: string;
  /** Approvers as shown in reports (`approvers` joined with ", "). */
  readonly approver: string;
  /** Distinct approvers (one for `approver:`, the list for `approvers:`). */
  readonly approvers?: readonly string[];
  /** Last day the waiver applies (inclusive), YYYY-MM-DD. */
  readonly expires: string;
  readonly file: string;
  readonly line: number;
}

const FIELDS = ["rule", "address", "tenant", "reason", "approver", "expires"] as const;
const ALLOWED = [...FIELDS, "approvers"];

/** Size cap of a waiver file (override: ZG_MAX_WAIVER_FILE_BYTES). */
export const MAX_WAIVER_FILE_BYTES = 1024 * 1024;
/** Most waivers one file may hold. */
export const MAX_WAIVERS = 10_000;

export interface WaiverBounds {
  /** Latest allowed `expires`, in days after today (UTC). */
  readonly maxHorizonDays: number;
  /** Broadest allowed waiver: one stack (default), one tenant, or unbounded. */
  readonly scope: "stack" | "tenant" | "any";
  /** Whether findings of critical rules may be waived at all. */
  readonly criticalWaivable: boolean;
  /** Distinct listed approvers a critical waiver needs. */
  readonly criticalMinApprovers: number;
  /** Who may approve critical waivers (compared case-insensitively). */
  readonly approvers: readonly string[];
}

/** Used when the bundle configures no bounds. */
export const DEFAULT_BOUNDS: WaiverBounds = {
  maxHorizonDays: 90,
  scope: "stack",
  criticalWaivable: true,
  criticalMinApprovers: 2,
  approvers: [],
};

/**
 * Bounds from the policy data (`data.waiver_bounds`): every field optional, defaults above; anything
 * malformed is a corrupt bundle (exit 2), never "no bounds".
 */
export function boundsFromData(data: unknown, shown = "policies/data/waivers.json"): WaiverBounds {
  const b = (data as { waiver_bounds?: unknown } | null)?.waiver_bounds;
  if (b === undefined) return DEFAULT_BOUNDS;
  const bad = (m: string): never => {
    throw new GateError(`waiver bounds in ${shown} are invalid: ${m}`);
  };
  if (!b || typeof b !== "object" || Array.isArray(b)) bad("waiver_bounds must be an object");
  const o = b as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!["max_horizon_days", "scope", "critical", "approvers", "note"].includes(k)) bad(`unknown field "${k}"`);
  const horizon = o.max_horizon_days ?? DEFAULT_BOUNDS.maxHorizonDays;
  if (typeof horizon !== "number" || !Number.isInteger(horizon) || horizon < 0 || horizon > 3660)
    bad("max_horizon_days must be an integer from 0 to 3660");
  const scope = o.scope ?? DEFAULT_BOUNDS.scope;
  if (scope !== "stack" && scope !== "tenant" && scope !== "any") bad('scope must be "stack", "tenant" or "any"');
  const crit = (o.critical ?? {}) as Record<string, unknown>;
  if (typeof crit !== "object" || Array.isArray(crit)) bad("critical must be an object");
  const waivable = crit.waivable ?? DEFAULT_BOUNDS.criticalWaivable;
  if (typeof waivable !== "boolean") bad("critical.waivable must be true or false");
  const min = crit.min_approvers ?? DEFAULT_BOUNDS.criticalMinApprovers;
  if (typeof min !== "number" || !Number.isInteger(min) || min < 1 || min > 10)
    bad("critical.min_approvers must be an integer from 1 to 10");
  const approvers = o.approvers ?? [];
  if (!Array.isArray(approvers) || approvers.some((a) => typeof a !== "string" || !a.trim()))
    bad("approvers must be a list of non-empty strings");
  return {
    maxHorizonDays: horizon as number,
    scope: scope as WaiverBounds["scope"],
    criticalWaivable: waivable as boolean,
    criticalMinApprovers: min as number,
    approvers: (approvers as string[]).map((a) => a.trim()),
  };
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const compiled = new WeakMap<Waiver, { full?: Glob; stack?: string; addr: Glob }>();

/** Split `stack::glob` (the stack part may itself be a glob when bounds allow). */
function splitScoped(address: string): { stack?: string; glob: string } {
  const i = address.indexOf("::");
  return i < 0 ? { glob: address } : { stack: address.slice(0, i), glob: address.slice(i + 2) };
}

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
  /** Bounds to enforce; `null` = none (unit tests of other behaviour); default DEFAULT_BOUNDS. */
  readonly bounds?: WaiverBounds | null;
  /** Rule id → severity (critical rules need listed approvers). */
  readonly severities?: ReadonlyMap<string, string>;
  /** Today (YYYY-MM-DD) for the horizon bound; default the current UTC day. */
  readonly today?: string;
}

export function loadWaivers(file: string, opts: LoadWaiverOptions): Waiver[] {
  const shown = opts.display ?? file;
  let exists = true;
  try {
    fs.lstatSync(file);
  } catch {
    exists = false;
  }
  if (!exists) {
    if (opts.required) throw new GateError(`waiver file not found: ${shown}`);
    return [];
  }
  const cap = Number(process.env.ZG_MAX_WAIVER_FILE_BYTES) || MAX_WAIVER_FILE_BYTES;
  const bytes = readRegularFile(file, cap, shown, "waiver file");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new GateError(`${shown}:1: waiver file is not valid UTF-8`);
  }
  if (text.includes("\u0000"))
    throw new GateError(
      `${shown}:${text.slice(0, text.indexOf("\u0000")).split("\n").length}: NUL byte in the waiver file`,
    );
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
  if (doc.length > MAX_WAIVERS) throw new GateError(`${shown}:1: ${doc.length} waivers (limit ${MAX_WAIVERS})`);
  const bounds = opts.bounds === undefined ? DEFAULT_BOUNDS : opts.bounds;
  const day = opts.today ?? today();
  const listed = new Map((bounds?.approvers ?? []).map((a) => [a.toLowerCase(), a] as const));
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
      if (!ALLOWED.includes(k)) problems.push(`${at(k)}: unknown field "${k}" (allowed: ${ALLOWED.join(", ")})`);
    }
    let ok = true;
    // `approvers: [a, b]` stands for `approver:` (two distinct approvers for critical rules).
    let approvers: string[] | undefined;
    if ("approvers" in w) {
      const a = w.approvers;
      if ("approver" in w) {
        problems.push(`${at("approvers")}: give either approver or approvers, not both`);
        return;
      }
      if (!Array.isArray(a) || a.length === 0 || a.some((x) => typeof x !== "string" || !x.trim())) {
        problems.push(`${at("approvers")}: approvers must be a non-empty list of names`);
        return;
      }
      approvers = (a as string[]).map((x) => x.trim());
      w.approver = approvers.join(", ");
    }
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
    // The glob must be in the safe syntax (and so must a `<stack>::` part).
    let addr: Glob;
    let full: Glob | undefined;
    const scoped = splitScoped(s.address);
    try {
      full = compileGlob(s.address);
      addr = compileGlob(scoped.glob);
      if (scoped.stack !== undefined) compileGlob(scoped.stack);
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      problems.push(`${at("address")}: address glob "${s.address.slice(0, 80)}" is refused: ${e.message}`);
      return;
    }
    const ids = approvers ?? [s.approver.trim()];
    if (bounds) {
      const tenantWide = s.tenant.trim() === "*";
      if (bounds.scope !== "any" && tenantWide) {
        problems.push(
          `${at("tenant")}: tenant "*" spans every tenant; name one tenant (waiver bounds: scope ${bounds.scope})`,
        );
        return;
      }
      if (bounds.scope === "stack") {
        const stackGlob = scoped.stack === undefined ? undefined : compileGlob(scoped.stack);
        if (!stackGlob || !isLiteral(stackGlob) || literalText(stackGlob) === "") {
          problems.push(
            `${at("address")}: address "${s.address.slice(0, 80)}" spans stacks; write <stack>::<address glob> with one literal stack name (waiver bounds: scope stack)`,
          );
          return;
        }
      }
      const last = addDays(day, bounds.maxHorizonDays);
      if (s.expires > last) {
        problems.push(
          `${at("expires")}: expires ${s.expires} is more than ${bounds.maxHorizonDays} days ahead (latest allowed ${last})`,
        );
        return;
      }
      if (opts.severities?.get(s.rule) === "critical") {
        if (!bounds.criticalWaivable) {
          problems.push(`${at("rule")}: ${s.rule} is critical; critical findings are not waivable (waiver bounds)`);
          return;
        }
        const distinct = new Set(ids.map((x) => x.toLowerCase()));
        const unlisted = [...distinct].filter((x) => !listed.has(x));
        if (unlisted.length) {
          problems.push(
            `${at(approvers ? "approvers" : "approver")}: ${s.rule} is critical; approver(s) ${unlisted.map((u) => `"${u}"`).join(", ")} are not in the configured approvers list${listed.size ? "" : " (none configured: critical findings are not waivable)"}`,
          );
          return;
        }
        if (distinct.size < bounds.criticalMinApprovers) {
          problems.push(
            `${at(approvers ? "approvers" : "approver")}: ${s.rule} is critical; it needs ${bounds.criticalMinApprovers} distinct approvers from the configured list (approvers: [a, b]), got ${distinct.size}`,
          );
          return;
        }
      }
    }
    const waiver: Waiver = {
      rule: s.rule,
      address: s.address,
      tenant: s.tenant,
      reason: s.reason.trim(),
      approver: s.approver.trim(),
      ...(approvers ? { approvers } : {}),
      expires: s.expires,
      file: shown,
      line: start,
    };
    compiled.set(waiver, { full, addr, stack: scoped.stack });
    out.push(waiver);
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
  let c = compiled.get(w);
  if (!c) {
    // A waiver built in code (tests): compile on first use; an unsafe glob never matches.
    try {
      c = { full: compileGlob(w.address), addr: compileGlob(splitScoped(w.address).glob) };
    } catch {
      return false;
    }
    compiled.set(w, c);
  }
  return globMatch(c.full!, f.address) || globMatch(c.full!, f.key);
}

/** Today as YYYY-MM-DD (UTC). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function isExpired(w: Waiver, day: string): boolean {
  return day > w.expires;
}
