/**
 * Joining raw findings with the rule catalogue (severity, per-environment enforcement), the resources
 * (stack, address, construct path, file, tenant) and the waivers, into the gate's verdict and exit code:
 * 0 pass (advisory findings allowed) · 1 a mandatory violation · (2 = could not decide, thrown as GateError).
 */
import type { RawFinding, ResourceModel } from "./model";
import type { EnforcementLevel, RuleMeta, Severity } from "./catalogue";
import { enforcementFor, severityRank } from "./catalogue";
import type { Waiver } from "./waivers";
import { isExpired, waiverMatches } from "./waivers";
import type { StackSummary } from "./normalize";

export type FindingStatus = "violation" | "advisory" | "waived";

export interface Finding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly enforcement: EnforcementLevel;
  readonly status: FindingStatus;
  readonly message: string;
  /** The finding exists because a value is unknown until apply. */
  readonly unknown: boolean;
  readonly key: string;
  readonly address: string;
  readonly type: string;
  readonly stack: string;
  readonly tenant: string | null;
  readonly env?: string;
  readonly file: string;
  readonly line?: number;
  readonly constructPath?: string;
  readonly sourceKind: string;
  readonly remediation?: string;
  readonly frameworks?: Readonly<Record<string, readonly string[]>>;
  readonly waiver?: Pick<Waiver, "reason" | "approver" | "expires" | "file" | "line" | "address">;
  /** Set when a matching waiver exists but expired: the finding counts again. */
  readonly waiverExpired?: string;
}

export interface NotEvaluated {
  readonly rule: string;
  readonly title: string;
  readonly reason: string;
}

export interface StackVerdict extends StackSummary {
  readonly violations: number;
  readonly advisories: number;
  readonly waived: number;
}

export interface Verdict {
  readonly exitCode: 0 | 1;
  readonly pass: boolean;
  readonly complete: boolean;
  readonly findings: Finding[];
  readonly notEvaluated: NotEvaluated[];
  readonly unusedWaivers: Pick<Waiver, "rule" | "address" | "tenant" | "file" | "line" | "expires">[];
  readonly warnings: string[];
  readonly stacks: StackVerdict[];
  readonly totals: {
    readonly stacks: number;
    readonly resources: number;
    readonly rules: number;
    readonly violations: number;
    readonly advisories: number;
    readonly waived: number;
    readonly expiredWaivers: number;
    readonly notEvaluated: number;
  };
  /** The rule catalogue (for reports: SARIF rules, JUnit test cases, remediation). */
  readonly rules: readonly RuleMeta[];
  readonly bundle?: { readonly opaVersion?: string; readonly wasmSha256?: string };
}

export interface VerdictInput {
  readonly raw: readonly RawFinding[];
  readonly resources: readonly ResourceModel[];
  readonly complete: boolean;
  readonly catalogue: ReadonlyMap<string, RuleMeta>;
  readonly waivers: readonly Waiver[];
  readonly stacks: readonly StackSummary[];
  /** YYYY-MM-DD used for waiver expiry. */
  readonly today: string;
  readonly warnings?: readonly string[];
  readonly bundle?: Verdict["bundle"];
}

const STATUS_ORDER: Record<FindingStatus, number> = { violation: 0, advisory: 1, waived: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.tenant ?? "").localeCompare(b.tenant ?? "") ||
    a.stack.localeCompare(b.stack) ||
    a.rule.localeCompare(b.rule) ||
    a.address.localeCompare(b.address) ||
    a.message.localeCompare(b.message)
  );
}

export function computeVerdict(input: VerdictInput): Verdict {
  const warnings = [...(input.warnings ?? [])];
  const used = new Set<Waiver>();
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const f of input.raw) {
    const r = input.resources[f.resource];
    const dedupe = `${f.rule}\0${r.key}\0${f.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    let meta = input.catalogue.get(f.rule);
    if (!meta) {
      warnings.push(`rule ${f.rule} is not in the bundle catalogue; treated as mandatory/high`);
      meta = { id: f.rule, title: f.rule, severity: "high", enforcement: "mandatory" };
    }
    const env = r.tenant?.env ?? r.context?.env;
    const enforcement = enforcementFor(meta.enforcement, env);
    const tenant = r.tenant?.id ?? null;
    const matching = input.waivers.filter((w) =>
      waiverMatches(w, { rule: f.rule, address: r.address, key: r.key, tenant }),
    );
    matching.forEach((w) => used.add(w));
    const active = matching.find((w) => !isExpired(w, input.today));
    const expired = active ? undefined : matching[0];
    const status: FindingStatus = active ? "waived" : enforcement === "mandatory" ? "violation" : "advisory";
    findings.push({
      rule: f.rule,
      title: meta.title,
      severity: meta.severity,
      enforcement,
      status,
      message: f.message,
      unknown: f.unknown === true,
      key: r.key,
      address: r.address,
      type: r.type,
      stack: r.stack,
      tenant,
      ...(env ? { env } : {}),
      file: r.source.file,
      ...(r.source.line ? { line: r.source.line } : {}),
      ...(r.source.constructPath ? { constructPath: r.source.constructPath } : {}),
      sourceKind: r.source.kind,
      ...(meta.remediation ? { remediation: meta.remediation } : {}),
      ...(meta.frameworks ? { frameworks: meta.frameworks } : {}),
      ...(active
        ? {
            waiver: {
              reason: active.reason,
              approver: active.approver,
              expires: active.expires,
              file: active.file,
              line: active.line,
              address: active.address,
            },
          }
        : {}),
      ...(expired ? { waiverExpired: expired.expires } : {}),
    });
  }
  findings.sort(compareFindings);
  const notEvaluated: NotEvaluated[] = input.complete
    ? []
    : [...input.catalogue.values()]
        .filter((m) => m.scope === "estate")
        .map((m) => ({
          rule: m.id,
          title: m.title,
          reason: "estate-scope rule: needs the whole synthesized estate (gate --synth cdktf.out without --stack)",
        }))
        .sort((a, b) => a.rule.localeCompare(b.rule));
  const unusedWaivers = input.waivers
    .filter((w) => !used.has(w))
    .map((w) => ({
      rule: w.rule,
      address: w.address,
      tenant: w.tenant,
      file: w.file,
      line: w.line,
      expires: w.expires,
    }));
  for (const w of unusedWaivers)
    warnings.push(`${w.file}:${w.line}: waiver for ${w.rule} on ${w.address} (${w.tenant}) matches no finding`);
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.stack}\0${f.status}`, (counts.get(`${f.stack}\0${f.status}`) ?? 0) + 1);
  const count = (s: string, st: FindingStatus) => counts.get(`${s}\0${st}`) ?? 0;
  const stacks: StackVerdict[] = input.stacks.map((s) => ({
    ...s,
    violations: count(s.name, "violation"),
    advisories: count(s.name, "advisory"),
    waived: count(s.name, "waived"),
  }));
  const violations = findings.filter((f) => f.status === "violation").length;
  return {
    exitCode: violations > 0 ? 1 : 0,
    pass: violations === 0,
    complete: input.complete,
    findings,
    notEvaluated,
    unusedWaivers,
    warnings,
    stacks,
    totals: {
      stacks: input.stacks.length,
      resources: input.resources.length,
      rules: input.catalogue.size,
      violations,
      advisories: findings.filter((f) => f.status === "advisory").length,
      waived: findings.filter((f) => f.status === "waived").length,
      expiredWaivers: findings.filter((f) => f.waiverExpired).length,
      notEvaluated: notEvaluated.length,
    },
    rules: [...input.catalogue.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ...(input.bundle ? { bundle: input.bundle } : {}),
  };
}

/** The verdict over a subset of stacks (deploy gates the whole estate, then decides on what it deploys). */
export function restrictVerdict(v: Verdict, stacks: ReadonlySet<string>): Verdict {
  const findings = v.findings.filter((f) => stacks.has(f.stack));
  const st = v.stacks.filter((s) => stacks.has(s.name));
  const violations = findings.filter((f) => f.status === "violation").length;
  return {
    ...v,
    exitCode: violations > 0 ? 1 : 0,
    pass: violations === 0,
    findings,
    stacks: st,
    totals: {
      ...v.totals,
      stacks: st.length,
      resources: st.reduce((a, s) => a + s.resources, 0),
      violations,
      advisories: findings.filter((f) => f.status === "advisory").length,
      waived: findings.filter((f) => f.status === "waived").length,
      expiredWaivers: findings.filter((f) => f.waiverExpired).length,
    },
  };
}
