/**
 * All report formats, and writing them to an output directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Verdict } from "../gate/verdict";
import type { ResourceModel } from "../gate/model";
import { GateError } from "../gate/errors";
import { killPoint } from "../faults";
import { fsReason, OutputError, sweepStaleTemps, writeAllOrNone } from "../fs/atomic";
import { formatConsole, summaryLine as rawSummaryLine } from "./console";
import { safeText, sanitizeDeep } from "./escape";
import { formatJson } from "./json";
import { formatSarif, toSarif } from "./sarif";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import { withEvidence, type EvidenceOptions } from "./evidence";
import { renderHtmlReport } from "./html/write";
import { REPORT_FILES, type Format } from "./formats";

/** The verdict's one-line summary, with untrusted text escaped. */
export function summaryLine(v: Verdict): string {
  return rawSummaryLine(sanitizeDeep(v));
}

export { formatConsole, formatJson, formatSarif, toSarif, formatJunit, formatMarkdown };
export { FORMATS, REPORT_FILES, parseFormats, type Format } from "./formats";

export function stackTypes(resources: readonly ResourceModel[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const r of resources) {
    const s = m.get(r.stack) ?? new Set<string>();
    s.add(r.type);
    m.set(r.stack, s);
  }
  return m;
}

/** The display copy of a verdict, made once per verdict object (verdicts are not mutated after they are made). */
const displayCopies = new WeakMap<Verdict, Verdict>();
function displayed(v: Verdict): Verdict {
  let d = displayCopies.get(v);
  if (!d) displayCopies.set(v, (d = sanitizeDeep(v)));
  return d;
}

/**
 * Render one format. Display formats (console, SARIF, JUnit, Markdown) get the verdict with every control,
 * escape and bidi character shown escaped (lib/report/escape.ts), so an address or message cannot forge a
 * "PASS" line, a Markdown row or break the XML; JSON keeps exact values (JSON escapes control characters).
 */
export function render(v: Verdict, format: Format, resources: readonly ResourceModel[] = []): string {
  if (format !== "json") v = displayed(v);
  switch (format) {
    case "table":
      return `${formatConsole(v)}\n`;
    case "json":
      return formatJson(v);
    case "sarif":
      return formatSarif(v);
    case "junit":
      return formatJunit(v, new Map([...stackTypes(resources)].map(([k, t]) => [safeText(k), t])));
    case "markdown":
      return formatMarkdown(v);
  }
}

/**
 * Write every file format to outDir, plus the HTML posture page (index.html) and its run history
 * (history.jsonl), all or none: each report goes to a temp file beside its target (fsynced), and only when
 * every temp is complete are they renamed over the targets. A full disk or a read-only directory is exit 2
 * with the reason, and no report is replaced. gate.json carries the evidence stamp (lib/report/evidence.ts).
 * Returns the written paths.
 */
export function writeReports(
  verdict: Verdict,
  formats: readonly Format[],
  outDir: string,
  resources: readonly ResourceModel[] = [],
  opts: EvidenceOptions = {},
): string[] {
  const v = withEvidence(verdict, resources, opts);
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new GateError(`cannot create the reports directory ${outDir}: ${fsReason(e)} — no report was written`);
  }
  // Temps of killed runs (hidden `.gate.json.tmp-<pid>`) are removed first.
  sweepStaleTemps(outDir);
  const files = formats
    .filter((f): f is Exclude<Format, "table"> => f !== "table")
    .map((f) => ({ file: path.join(outDir, REPORT_FILES[f]), data: render(v, f, resources) }));
  files.push(...renderHtmlReport(v, outDir));
  try {
    writeAllOrNone(files, (n) => killPoint(n === 0 ? "reports-temp" : "reports-rename"));
  } catch (e) {
    if (e instanceof OutputError) throw new GateError(e.message);
    throw e;
  }
  return files.map((f) => f.file);
}
