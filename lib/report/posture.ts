/**
 * The posture model behind the HTML report, computed from gate.json alone (so `zonegate report --from
 * gate.json` renders the same page as the gate run that wrote it).
 *
 * How the counts are made (docs/report.md "How the heat map counts"): the unit is one (rule, resource)
 * evaluation. A rule evaluates every managed resource whose type matches its `resource_types` (`*` globs) in
 * a stack (`stacks[].resourceTypes`), plus any resource it raised a finding on. Each evaluation has one
 * status: the worst of its findings (violation > advisory > waived), `pass` when it has none, and
 * `notEvaluated` for rules listed in `notEvaluated` (estate rules on partial input). Evaluations are summed
 * per (tenant, environment, rule); a heat-map cell (tenant × framework) sums its rules — a rule belongs to a
 * framework when its METADATA `frameworks` lists at least one id for it; "residency" is the ZG-RES rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PKG_ROOT } from "../pkg-root";

export const FRAMEWORKS = [
  { id: "pci-dss-4.0", label: "PCI DSS v4.0" },
  { id: "gdpr", label: "GDPR" },
  { id: "sox", label: "SOX" },
  { id: "residency", label: "Residency" },
] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number]["id"];

export const STATUSES = ["pass", "violation", "advisory", "waived", "notEvaluated"] as const;
export type EvalStatus = (typeof STATUSES)[number];

export const PLATFORM = "(platform)";
export const NO_ENV = "(none)";

/** The parts of gate.json the report reads (lib/report/json.ts + lib/report/evidence.ts). */
export interface GateDoc {
  tool: string;
  exitCode: number;
  pass: boolean;
  complete: boolean;
  findings: GateFinding[];
  notEvaluated: { rule: string; title: string; reason: string }[];
  unusedWaivers: { rule: string; address: string; tenant: string; file: string; line: number; expires: string }[];
  warnings: string[];
  stacks: {
    name: string;
    kind: string;
    file: string;
    tenant: string | null;
    env?: string;
    resources: number;
    violations: number;
    advisories: number;
    waived: number;
    resourceTypes?: Record<string, number>;
  }[];
  totals: Record<string, number>;
  rules: GateRule[];
  bundle?: { opaVersion?: string; wasmSha256?: string };
  evidence?: {
    generatedAt: string;
    evaluatedOn: string;
    commit: { sha: string | null; dirty: boolean | null; ref?: string };
    versions: { zonegate: string | null; node: string; opa: string | null };
    bundle: { wasmSha256: string | null; dataSha256: string | null; manifestSha256: string | null };
    inputs: { count: number; sha256: string; files: Record<string, string> };
    waivers: { file: string | null; sha256: string | null; count: number };
    sourceBase: string;
  };
  waivers?: {
    rule: string;
    address: string;
    tenant: string;
    reason: string;
    approver: string;
    expires: string;
    file: string;
    line: number;
  }[];
}

export interface GateFinding {
  rule: string;
  title: string;
  severity: string;
  enforcement: string;
  status: "violation" | "advisory" | "waived";
  message: string;
  unknown: boolean;
  key: string;
  address: string;
  type: string;
  stack: string;
  tenant: string | null;
  env?: string;
  file: string;
  line?: number;
  constructPath?: string;
  sourceKind: string;
  remediation?: string;
  frameworks?: Record<string, string[]>;
  waiver?: { reason: string; approver: string; expires: string; file: string; line: number; address: string };
  waiverExpired?: string;
}

export interface GateRule {
  id: string;
  title: string;
  severity: string;
  description?: string;
  frameworks?: Record<string, string[]>;
  resource_types?: string[];
  remediation?: string;
  construct?: string;
  scope?: string;
  file?: string;
  enforcement?: unknown;
}

/** Frameworks a rule counts for. */
export function ruleFrameworks(r: Pick<GateRule, "id" | "frameworks" | "file">): FrameworkId[] {
  const out: FrameworkId[] = [];
  for (const f of FRAMEWORKS) {
    if (f.id === "residency") {
      if (/-RES-\d+$/.test(r.id) || (r.file ?? "").includes("/rules/res/")) out.push("residency");
    } else if ((r.frameworks?.[f.id]?.length ?? 0) > 0) out.push(f.id);
  }
  return out;
}

/** `resource_types` entries are exact types or `*` globs (e.g. `azurerm_*`). */
export function typeMatches(patterns: readonly string[] | undefined, type: string): boolean {
  for (const p of patterns ?? []) {
    if (p === type) return true;
    if (p.includes("*")) {
      const re = new RegExp(
        `^${p
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      );
      if (re.test(type)) return true;
    }
  }
  return false;
}

const STATUS_RANK: Record<GateFinding["status"], number> = { violation: 0, advisory: 1, waived: 2 };

export interface Cell {
  tenant: string;
  env: string;
  rule: string;
  counts: Record<EvalStatus, number>;
}

const zero = (): Record<EvalStatus, number> => ({ pass: 0, violation: 0, advisory: 0, waived: 0, notEvaluated: 0 });

/** Evaluations per (tenant, environment, rule) with their status counts. */
export function evaluationCells(doc: GateDoc): Cell[] {
  const cells = new Map<string, Cell>();
  const cell = (tenant: string, env: string, rule: string) => {
    const k = `${tenant}\0${env}\0${rule}`;
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { tenant, env, rule, counts: zero() }));
    return c;
  };
  const notEvaluated = new Set(doc.notEvaluated.map((n) => n.rule));
  const stackOf = new Map(doc.stacks.map((s) => [s.name, s]));
  // The rules that look at a resource type (an estate has a few dozen types over thousands of stacks).
  const rulesOfType = new Map<string, string[]>();
  const rulesOf = (type: string): string[] => {
    let ids = rulesOfType.get(type);
    if (!ids)
      rulesOfType.set(type, (ids = doc.rules.filter((r) => typeMatches(r.resource_types, type)).map((r) => r.id)));
    return ids;
  };
  for (const s of doc.stacks) {
    const tenant = s.tenant ?? PLATFORM;
    const env = s.env ?? NO_ENV;
    for (const [type, n] of Object.entries(s.resourceTypes ?? {})) {
      for (const id of rulesOf(type)) cell(tenant, env, id).counts[notEvaluated.has(id) ? "notEvaluated" : "pass"] += n;
    }
  }
  // One status per (rule, resource): the worst of its findings.
  const worst = new Map<string, GateFinding>();
  for (const f of doc.findings) {
    const k = `${f.rule}\0${f.key}`;
    const w = worst.get(k);
    if (!w || STATUS_RANK[f.status] < STATUS_RANK[w.status]) worst.set(k, f);
  }
  for (const f of worst.values()) {
    const st = stackOf.get(f.stack);
    const tenant = f.tenant ?? st?.tenant ?? PLATFORM;
    const env = f.env ?? st?.env ?? NO_ENV;
    const c = cell(tenant, env, f.rule);
    // The resource was counted as a pass when the rule's types cover it (and it is a managed resource).
    const counted = rulesOf(f.type).includes(f.rule) && c.counts.pass > 0;
    if (counted) c.counts.pass -= 1;
    c.counts[f.status] += 1;
  }
  return [...cells.values()].sort(
    (a, b) => a.tenant.localeCompare(b.tenant) || a.env.localeCompare(b.env) || a.rule.localeCompare(b.rule),
  );
}

export interface PciRequirement {
  id: string;
  title: string;
}
export interface PciCatalogue {
  standard: string;
  version: string;
  note: string;
  principal: PciRequirement[];
  requirements: PciRequirement[];
}

export function loadPciCatalogue(root = PKG_ROOT): PciCatalogue {
  return JSON.parse(
    fs.readFileSync(path.join(root, "policies", "reference", "pci-dss-4.0.json"), "utf8"),
  ) as PciCatalogue;
}

/** "10.2.1.1" → "10"; "A1.2.3" → "A1". */
export function principalOf(id: string): string {
  return id.split(".")[0];
}

/** Order requirement ids numerically part by part ("2.2.10" after "2.2.9"; "A1" after "12"). */
export function compareReqIds(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]) ? Number(pa[i]) : 1000 + pa[i].charCodeAt(0);
    const nb = /^\d+$/.test(pb[i]) ? Number(pb[i]) : 1000 + pb[i].charCodeAt(0);
    if (na !== nb) return na - nb;
    if (pa[i] !== pb[i]) return pa[i].localeCompare(pb[i]);
  }
  return 0;
}

/**
 * Every requirement of the catalogue with the rules that cite it; ids cited by rules but missing from the
 * catalogue are added (titled as such) rather than dropped.
 */
export function pciRequirements(doc: GateDoc, cat: PciCatalogue): { id: string; title: string; rules: string[] }[] {
  const byReq = new Map<string, string[]>();
  for (const r of doc.rules) {
    for (const id of r.frameworks?.["pci-dss-4.0"] ?? []) {
      const l = byReq.get(id) ?? [];
      if (!l.includes(r.id)) l.push(r.id);
      byReq.set(id, l);
    }
  }
  const out = cat.requirements.map((q) => ({ id: q.id, title: q.title, rules: (byReq.get(q.id) ?? []).sort() }));
  const known = new Set(cat.requirements.map((q) => q.id));
  for (const [id, rules] of byReq) {
    if (!known.has(id)) out.push({ id, title: "(not in the requirement list)", rules: rules.sort() });
  }
  return out.sort((a, b) => compareReqIds(a.id, b.id));
}

/** Whole days from `day` to the waiver's last day (negative: expired that many days ago). */
export function daysUntil(expires: string, day: string): number {
  const a = Date.parse(`${day}T00:00:00Z`);
  const b = Date.parse(`${expires}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

export const EXPIRING_DAYS = 30;

export type WaiverState = "active" | "expiring" | "expired" | "unused";

/** A waiver's state on `day`: expired waivers no longer waive (their findings count as violations). */
export function waiverState(expires: string, day: string, matched: boolean): WaiverState {
  const d = daysUntil(expires, day);
  if (d < 0) return "expired";
  if (!matched) return "unused";
  return d <= EXPIRING_DAYS ? "expiring" : "active";
}
