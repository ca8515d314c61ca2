/**
 * Markdown summary for `$GITHUB_STEP_SUMMARY`: verdict and totals, the stacks with findings (every stack
 * folded in a <details>), the top findings with location and remediation (the rest folded), waivers,
 * not-evaluated rules and warnings.
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const FINDING_HEADER = [
  "| | rule | severity | tenant / stack | resource | location | finding | remediation |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
];

function findingRow(f: Finding): string {
  // The console/SARIF note "unknown until apply" is only added where the message does not already say so.
  const note = f.waiverExpired
    ? ` (waiver expired on ${f.waiverExpired})`
    : f.unknown && !/(until|after) apply/.test(f.message)
      ? " (unknown until apply)"
      : "";
  const where = f.line ? `${f.file}:${f.line}` : f.file;
  return `| ${ICON[f.status]} | ${md(f.rule)} | ${f.severity} | ${md(f.tenant ?? "platform")} / ${md(f.stack)} | \`${md(f.constructPath ?? f.address)}\` | ${where ? `\`${md(where)}\`` : ""} | ${md(f.message + note)} | ${md(f.remediation ?? "")} |`;
}

/** Rows in the collapsed "more findings" block at most (a step summary is limited to 1 MiB). */
export const MARKDOWN_MAX_ROWS = 500;

export function formatMarkdown(v: Verdict, opts: { top?: number } = {}): string {
  const top = opts.top ?? 15;
  const t = v.totals;
  const out: string[] = [];
  out.push(`## zonegate gate: ${v.pass ? "✅ PASS" : "❌ FAIL"}`);
  out.push("");
  out.push(
    `**${t.violations}** mandatory violation${t.violations === 1 ? "" : "s"} · **${t.advisories}** advisory · **${t.waived}** waived` +
      (t.expiredWaivers ? ` · **${t.expiredWaivers}** expired waiver${t.expiredWaivers === 1 ? "" : "s"}` : "") +
      ` · ${t.notEvaluated} not evaluated — ${plural(t.stacks, "stack")}, ${t.resources} resources, ${t.rules} rules${v.complete ? " (whole estate)" : " (partial input)"}`,
  );
  const stacks = [...v.stacks].sort(
    (a, b) => (a.tenant ?? "").localeCompare(b.tenant ?? "") || a.name.localeCompare(b.name),
  );
  const stackRow = (s: (typeof stacks)[number]) =>
    `| ${md(s.tenant ?? "platform")} | ${md(s.name)} | ${s.resources} | ${s.violations} | ${s.advisories} | ${s.waived} |`;
  const stackHeader = [
    "| tenant | stack | resources | ❌ mandatory | ⚠️ advisory | 🟡 waived |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  // Stacks that need attention in the open; every stack (most are clean) folded away.
  const flagged = stacks.filter((s) => s.violations || s.advisories || s.waived);
  out.push("");
  if (flagged.length) {
    out.push(...stackHeader, ...flagged.map(stackRow));
  } else {
    out.push(`No findings in any of the ${plural(stacks.length, "stack")}.`);
  }
  if (flagged.length < stacks.length) {
    out.push("");
    out.push(`<details><summary>All ${plural(stacks.length, "stack")}</summary>`);
    out.push("");
    out.push(...stackHeader, ...stacks.map(stackRow));
    out.push("");
    out.push("</details>");
  }
  const open = v.findings.filter((f) => f.status !== "waived");
  const shown = open.slice(0, top);
  if (shown.length) {
    out.push("");
    out.push(`### ${shown.length < open.length ? `Top findings (${shown.length} of ${open.length})` : "Findings"}`);
    out.push("");
    out.push(...FINDING_HEADER, ...shown.map(findingRow));
    const rest = open.slice(top);
    if (rest.length) {
      const listed = rest.slice(0, MARKDOWN_MAX_ROWS);
      out.push("");
      out.push(`<details><summary>${plural(rest.length, "more finding")}</summary>`);
      out.push("");
      out.push(...FINDING_HEADER, ...listed.map(findingRow));
      if (listed.length < rest.length) {
        out.push("");
        out.push(`… and ${rest.length - listed.length} more: see gate.json or the code scanning alerts (gate.sarif).`);
      }
      out.push("");
      out.push("</details>");
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
