/**
 * Markdown summary for `$GITHUB_STEP_SUMMARY`: verdict and totals, a table by tenant/stack, the top
 * findings with remediation, not-evaluated rules and warnings.
 */
import type { Finding, Verdict } from "../gate/verdict";

/** Escape text for a Markdown table cell / inline text. */
export function md(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;"))
    .replace(/\r?\n/g, " ");
}

const ICON: Record<Finding["status"], string> = { violation: "❌", advisory: "⚠️", waived: "🟡" };

export function formatMarkdown(v: Verdict, opts: { top?: number } = {}): string {
  const top = opts.top ?? 15;
  const t = v.totals;
  const out: string[] = [];
  out.push(`## zonegate gate: ${v.pass ? "✅ PASS" : "❌ FAIL"}`);
  out.push("");
  out.push(
    `**${t.violations}** mandatory violation${t.violations === 1 ? "" : "s"} · **${t.advisories}** advisory · **${t.waived}** waived` +
      (t.expiredWaivers ? ` · **${t.expiredWaivers}** expired waiver${t.expiredWaivers === 1 ? "" : "s"}` : "") +
      ` · ${t.notEvaluated} not evaluated — ${t.stacks} stacks, ${t.resources} resources, ${t.rules} rules${v.complete ? " (whole estate)" : " (partial input)"}`,
  );
  out.push("");
  out.push("| tenant | stack | resources | ❌ mandatory | ⚠️ advisory | 🟡 waived |");
  out.push("| --- | --- | ---: | ---: | ---: | ---: |");
  const stacks = [...v.stacks].sort(
    (a, b) => (a.tenant ?? "").localeCompare(b.tenant ?? "") || a.name.localeCompare(b.name),
  );
  for (const s of stacks) {
    out.push(
      `| ${md(s.tenant ?? "platform")} | ${md(s.name)} | ${s.resources} | ${s.violations} | ${s.advisories} | ${s.waived} |`,
    );
  }
  const shown = v.findings.filter((f) => f.status !== "waived").slice(0, top);
  if (shown.length) {
    out.push("");
    out.push(`### Top findings${shown.length < v.findings.length ? ` (${shown.length} of ${v.findings.length})` : ""}`);
    out.push("");
    out.push("| | rule | severity | tenant / stack | resource | finding | remediation |");
    out.push("| --- | --- | --- | --- | --- | --- | --- |");
    for (const f of shown) {
      const note = f.waiverExpired
        ? ` (waiver expired on ${f.waiverExpired})`
        : f.unknown
          ? " (unknown until apply)"
          : "";
      out.push(
        `| ${ICON[f.status]} | ${md(f.rule)} | ${f.severity} | ${md(f.tenant ?? "platform")} / ${md(f.stack)} | \`${md(f.constructPath ?? f.address)}\` | ${md(f.message + note)} | ${md(f.remediation ?? "")} |`,
      );
    }
  }
  const waived = v.findings.filter((f) => f.status === "waived");
  if (waived.length) {
    out.push("");
    out.push("### Waived");
    out.push("");
    for (const f of waived) {
      out.push(
        `- ${md(f.rule)} on \`${md(f.key)}\`: ${md(f.waiver!.reason)} — ${md(f.waiver!.approver)}, until ${f.waiver!.expires}`,
      );
    }
  }
  if (v.notEvaluated.length) {
    out.push("");
    out.push("### Not evaluated");
    out.push("");
    for (const n of v.notEvaluated) out.push(`- ${md(n.rule)} ${md(n.title)}: ${md(n.reason)}`);
  }
  if (v.warnings.length) {
    out.push("");
    out.push("### Warnings");
    out.push("");
    for (const w of v.warnings) out.push(`- ${md(w)}`);
  }
  return `${out.join("\n")}\n`;
}
