/**
 * Console report: findings grouped by tenant → stack → severity, then a one-line summary.
 */
import type { Finding, Verdict } from "../gate/verdict";
import { SEVERITY_ORDER } from "../gate/catalogue";

const STATUS_LABEL: Record<Finding["status"], string> = { violation: "FAIL", advisory: "WARN", waived: "WAIVED" };

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function summaryLine(v: Verdict): string {
  const t = v.totals;
  const head = v.pass ? "PASS" : "FAIL";
  const parts = [
    `${t.violations} mandatory violation${t.violations === 1 ? "" : "s"}`,
    `${t.advisories} advisory`,
    `${t.waived} waived`,
  ];
  if (t.expiredWaivers) parts.push(`${t.expiredWaivers} expired waiver${t.expiredWaivers === 1 ? "" : "s"}`);
  if (t.notEvaluated) parts.push(`${t.notEvaluated} rule${t.notEvaluated === 1 ? "" : "s"} not evaluated`);
  return `zonegate gate: ${head} — ${parts.join(", ")} · ${t.stacks} stack${t.stacks === 1 ? "" : "s"}, ${t.resources} resources, ${t.rules} rules (exit ${v.exitCode})`;
}

function findingLine(f: Finding): string {
  const notes: string[] = [];
  if (f.unknown) notes.push("unknown until apply");
  if (f.waiver) notes.push(`waived until ${f.waiver.expires} by ${f.waiver.approver}`);
  if (f.waiverExpired) notes.push(`waiver expired on ${f.waiverExpired}`);
  const where = f.constructPath ?? f.address;
  return `    ${pad(STATUS_LABEL[f.status], 6)} ${pad(f.rule, 11)} ${pad(truncate(where, 60), 60)} ${f.message}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

export function formatConsole(v: Verdict): string {
  const lines: string[] = [];
  const byTenant = new Map<string, Finding[]>();
  for (const f of v.findings) {
    const t = f.tenant ?? "(platform)";
    byTenant.set(t, [...(byTenant.get(t) ?? []), f]);
  }
  for (const tenant of [...byTenant.keys()].sort()) {
    lines.push(`tenant ${tenant}`);
    const fs = byTenant.get(tenant)!;
    for (const stack of [...new Set(fs.map((f) => f.stack))].sort()) {
      lines.push(`  stack ${stack}`);
      const ss = fs.filter((f) => f.stack === stack);
      for (const sev of SEVERITY_ORDER) {
        const group = ss.filter((f) => f.severity === sev);
        if (!group.length) continue;
        lines.push(`   ${sev}`);
        for (const f of group) lines.push(findingLine(f));
      }
    }
  }
  if (v.findings.length === 0) lines.push("no findings");
  if (v.notEvaluated.length) {
    lines.push("not evaluated (partial input):");
    for (const n of v.notEvaluated) lines.push(`  ${n.rule}  ${n.title}`);
  }
  for (const w of v.warnings) lines.push(`warning: ${w}`);
  lines.push(summaryLine(v));
  return lines.join("\n");
}
