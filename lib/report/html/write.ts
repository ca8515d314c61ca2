/**
 * Writing the posture page: append this run to `<outDir>/history.jsonl` (bounded) and render
 * `<outDir>/index.html` from the same document gate.json holds.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Verdict } from "../../gate/verdict";
import { appendHistory, historyEntry, HISTORY_FILE, readHistory, type HistoryEntry } from "../history";
import { formatJson } from "../json";
import type { GateDoc } from "../posture";
import { renderHtml } from "./index";

export const HTML_FILE = "index.html";

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The run's history entry is appended; returns [history.jsonl, index.html]. */
export function writeHtmlReport(v: Verdict, outDir: string): string[] {
  const doc = JSON.parse(formatJson(v)) as GateDoc;
  const historyFile = path.join(outDir, HISTORY_FILE);
  const history = appendHistory(historyFile, historyEntry(doc));
  const htmlFile = path.join(outDir, HTML_FILE);
  writeAtomic(htmlFile, renderHtml(doc, { history }));
  return [historyFile, htmlFile];
}

/** `zonegate report`: render a gate.json (history read, not appended). */
export function renderFromGateJson(doc: GateDoc, historyFile?: string): string {
  const history: HistoryEntry[] = historyFile ? readHistory(historyFile) : [];
  return renderHtml(doc, { history });
}

export { writeAtomic };
