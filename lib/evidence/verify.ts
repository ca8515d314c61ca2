/**
 * `zonegate evidence verify`: the evidence index chain, every record it lists (present, unchanged), records
 * the index does not list, the break-glass log chain, and every break-glass entry an evidence record names
 * (so removing the newest break-glass entries is detected too).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../hash";
import { verifyChain, type ChainCheck } from "./chain";
import { EVIDENCE_INDEX } from "./record";

export interface VerifyProblem {
  readonly where: string;
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly problems: VerifyProblem[];
  readonly records: number;
  readonly breakGlassEntries: number;
  readonly heads: { readonly evidence: string; readonly breakGlass: string };
}

export function verifyEvidence(dir: string, breakGlassLog: string): VerifyResult {
  const problems: VerifyProblem[] = [];
  const indexFile = path.join(dir, EVIDENCE_INDEX);
  const index: ChainCheck = verifyChain(indexFile);
  for (const p of index.problems) problems.push({ where: `${indexFile}:${p.line}`, message: p.message });
  const listed = new Set<string>();
  const bgRefs: { record: string; entry: string }[] = [];
  for (const e of index.entries) {
    const name = String(e.file ?? "");
    listed.add(name);
    const file = path.join(dir, name);
    if (!name || !fs.existsSync(file)) {
      problems.push({
        where: `${indexFile}:#${e.seq}`,
        message: `evidence record ${name || "?"} (entry #${e.seq}) was removed`,
      });
      continue;
    }
    const text = fs.readFileSync(file);
    if (sha256(text) !== e.sha256) {
      problems.push({
        where: file,
        message: `evidence record ${name} (entry #${e.seq}) was edited: sha256 differs from the index`,
      });
      continue;
    }
    try {
      const rec = JSON.parse(text.toString("utf8")) as { breakGlass?: { entry?: string } };
      if (rec.breakGlass?.entry) bgRefs.push({ record: name, entry: rec.breakGlass.entry });
    } catch {
      problems.push({ where: file, message: `evidence record ${name} is not JSON` });
    }
  }
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith(".json") && !listed.has(f)) {
        problems.push({
          where: path.join(dir, f),
          message: `evidence record ${f} is not in the index (added or index entry removed)`,
        });
      }
    }
  }
  const bg = verifyChain(breakGlassLog);
  for (const p of bg.problems)
    problems.push({ where: `${breakGlassLog}:${p.line}`, message: `break-glass ${p.message}` });
  const bgHashes = new Set(bg.entries.map((e) => e.hash));
  for (const r of bgRefs) {
    if (!bgHashes.has(r.entry)) {
      problems.push({
        where: breakGlassLog,
        message: `break-glass entry ${r.entry.slice(0, 12)}… named by evidence record ${r.record} is missing from the log (removed or edited)`,
      });
    }
  }
  return {
    ok: problems.length === 0,
    problems,
    records: index.entries.length,
    breakGlassEntries: bg.entries.length,
    heads: { evidence: index.head, breakGlass: bg.head },
  };
}
