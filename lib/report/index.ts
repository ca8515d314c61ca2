/**
 * All report formats, and writing them to an output directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Verdict } from "../gate/verdict";
import type { ResourceModel } from "../gate/model";
import { formatConsole, summaryLine } from "./console";
import { formatJson } from "./json";
import { formatSarif, toSarif } from "./sarif";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import { withEvidence, type EvidenceOptions } from "./evidence";
import { writeHtmlReport } from "./html/write";

export { formatConsole, summaryLine, formatJson, formatSarif, toSarif, formatJunit, formatMarkdown };

export const FORMATS = ["table", "json", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export const REPORT_FILES: Record<Exclude<Format, "table">, string> = {
  json: "gate.json",
  sarif: "gate.sarif",
  junit: "gate.junit.xml",
  markdown: "gate.md",
};

export function parseFormats(s: string | undefined, dflt: readonly Format[] = ["table"]): Format[] {
  if (s === undefined) return [...dflt];
  const out: Format[] = [];
  for (const f of s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!(FORMATS as readonly string[]).includes(f))
      throw new Error(`unknown format "${f}" (formats: ${FORMATS.join(", ")})`);
    out.push(f as Format);
  }
  // An explicitly empty list (`--format ""`, `--format ,`) would silently print nothing: refuse it.
  if (out.length === 0) throw new Error(`no report format given (formats: ${FORMATS.join(", ")})`);
  return [...new Set(out)];
}

export function stackTypes(resources: readonly ResourceModel[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const r of resources) {
    const s = m.get(r.stack) ?? new Set<string>();
    s.add(r.type);
    m.set(r.stack, s);
  }
  return m;
}

export function render(v: Verdict, format: Format, resources: readonly ResourceModel[] = []): string {
  switch (format) {
    case "table":
      return `${formatConsole(v)}\n`;
    case "json":
      return formatJson(v);
    case "sarif":
      return formatSarif(v);
    case "junit":
      return formatJunit(v, stackTypes(resources));
    case "markdown":
      return formatMarkdown(v);
  }
}

/**
 * Write every file format to outDir, plus the HTML posture page (index.html) and its run history
 * (history.jsonl); returns the written paths. gate.json carries the evidence stamp (lib/report/evidence.ts).
 */
export function writeReports(
  verdict: Verdict,
  formats: readonly Format[],
  outDir: string,
  resources: readonly ResourceModel[] = [],
  opts: EvidenceOptions = {},
): string[] {
  const v = withEvidence(verdict, resources, opts);
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    if (f === "table") continue;
    const file = path.join(outDir, REPORT_FILES[f]);
    fs.writeFileSync(file, render(v, f, resources));
    written.push(file);
  }
  written.push(...writeHtmlReport(v, outDir));
  return written;
}
