/**
 * Writing the posture page: append this run to `<outDir>/history.jsonl` (bounded) and render
 * `<outDir>/index.html` from the same document gate.json holds.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Verdict } from "../../gate/verdict";
import { historyEntry, HISTORY_FILE, HISTORY_MAX, readHistory, type HistoryEntry } from "../history";
import { formatJson } from "../json";
import type { GateDoc } from "../posture";
import { renderHtml } from "./index";

export const HTML_FILE = "index.html";

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * The posture page's files, rendered but not written: history.jsonl with this run appended (bounded) and
 * index.html. The caller writes them with the other reports, all or none (lib/report/index.ts).
 */
export function renderHtmlReport(v: Verdict, outDir: string): { file: string; data: string }[] {
  const doc = JSON.parse(formatJson(v)) as GateDoc;
  const historyFile = path.join(outDir, HISTORY_FILE);
  const history = [...readHistory(historyFile), historyEntry(doc)].slice(-HISTORY_MAX);
  return [
    { file: historyFile, data: history.map((e) => JSON.stringify(e)).join("\n") + "\n" },
    { file: path.join(outDir, HTML_FILE), data: renderHtml(doc, { history }) },
  ];
}

/** `zonegate report`: render a gate.json (history read, not appended). */
export function renderFromGateJson(doc: GateDoc, historyFile?: string): string {
  const history: HistoryEntry[] = historyFile ? readHistory(historyFile) : [];
  return renderHtml(doc, { history });
}

export { writeAtomic };
