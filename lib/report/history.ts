/**
 * reports/history.jsonl: one line per gate run (the trend chart of the HTML report), the last
 * HISTORY_MAX runs only. Appending rewrites the file through a temporary file and a rename, so a reader (or
 * a run stopped half-way) never sees a torn line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GateDoc } from "./posture";
import { daysUntil, EXPIRING_DAYS } from "./posture";

export const HISTORY_MAX = 100;
export const HISTORY_FILE = "history.jsonl";

export interface HistoryEntry {
  /** ISO time of the run. */
  readonly at: string;
  readonly commit: string | null;
  readonly pass: boolean;
  readonly violations: number;
  readonly advisories: number;
  readonly waived: number;
  readonly expiredWaivers: number;
  /** Waivers in the waiver file that expire within EXPIRING_DAYS (not yet expired). */
  readonly expiringWaivers: number;
  readonly stacks: number;
  readonly resources: number;
  readonly inputsSha256: string | null;
}

export function historyEntry(doc: GateDoc): HistoryEntry {
  const day = doc.evidence?.evaluatedOn ?? new Date().toISOString().slice(0, 10);
  const expiring = (doc.waivers ?? []).filter((w) => {
    const d = daysUntil(w.expires, day);
    return d >= 0 && d <= EXPIRING_DAYS;
  }).length;
  return {
    at: doc.evidence?.generatedAt ?? new Date().toISOString(),
    commit: doc.evidence?.commit.sha ?? null,
    pass: doc.pass,
    violations: doc.totals.violations ?? 0,
    advisories: doc.totals.advisories ?? 0,
    waived: doc.totals.waived ?? 0,
    expiredWaivers: doc.totals.expiredWaivers ?? 0,
    expiringWaivers: expiring,
    stacks: doc.totals.stacks ?? 0,
    resources: doc.totals.resources ?? 0,
    inputsSha256: doc.evidence?.inputs.sha256 ?? null,
  };
}

function isEntry(x: unknown): x is HistoryEntry {
  const e = x as Record<string, unknown>;
  return (
    !!e &&
    typeof e === "object" &&
    typeof e.at === "string" &&
    typeof e.violations === "number" &&
    typeof e.waived === "number" &&
    typeof e.pass === "boolean"
  );
}

/** The entries of a history file, oldest first; lines that are not entries are skipped. */
export function readHistory(file: string): HistoryEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as unknown;
      if (isEntry(e)) out.push(e);
    } catch {
      /* a damaged line is dropped, not fatal: history is a chart, not evidence */
    }
  }
  return out;
}

/** Append one entry, keep the last `max`; returns the kept entries (oldest first). */
export function appendHistory(file: string, entry: HistoryEntry, max = HISTORY_MAX): HistoryEntry[] {
  const kept = [...readHistory(file), entry].slice(-max);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, kept.map((e) => JSON.stringify(e)).join("\n") + "\n");
  fs.renameSync(tmp, file);
  return kept;
}
