/**
 * Hash-chained append-only logs (JSON lines): the break-glass log and the evidence index.
 *
 * Each entry is `{ seq, time, prev, …payload, hash }`: `seq` counts from 1, `prev` is the previous entry's
 * `hash` (64 zeros for the first), and `hash` is the sha256 of the entry's canonical JSON without `hash`
 * (keys sorted). Editing any entry changes its hash (detected on the entry itself); removing one breaks the
 * next entry's `prev` and the `seq` run (detected on the next entry). Removing the newest entries is visible
 * only against a head recorded elsewhere: evidence records carry the hash of the break-glass entry they
 * wrote, and `verify` prints the head so it can be compared with the copy in the tenant's immutable archive.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../hash";
import { stableStringify } from "../gate/bundle-hash";

export const GENESIS = "0".repeat(64);

export interface ChainEntry {
  readonly seq: number;
  readonly time: string;
  readonly prev: string;
  readonly hash: string;
  readonly [k: string]: unknown;
}

export function entryHash(entry: Readonly<Record<string, unknown>>): string {
  const rest: Record<string, unknown> = { ...entry };
  delete rest.hash;
  return sha256(stableStringify(rest));
}

export interface ChainProblem {
  /** 1-based line in the file. */
  readonly line: number;
  /** The entry's seq as found (or expected). */
  readonly seq?: number;
  readonly message: string;
}

export interface ChainCheck {
  readonly file: string;
  readonly entries: ChainEntry[];
  readonly problems: ChainProblem[];
  /** Hash of the last entry (GENESIS for an empty or missing log). */
  readonly head: string;
}

/** Read and check a chained log; a missing file is an empty chain. */
export function verifyChain(file: string): ChainCheck {
  const entries: ChainEntry[] = [];
  const problems: ChainProblem[] = [];
  if (!fs.existsSync(file)) return { file, entries, problems, head: GENESIS };
  const lines = fs.readFileSync(file, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let prev = GENESIS;
  let expectSeq = 1;
  lines.forEach((text, i) => {
    const line = i + 1;
    let e: ChainEntry;
    try {
      e = JSON.parse(text) as ChainEntry;
    } catch {
      problems.push({ line, seq: expectSeq, message: `entry #${expectSeq} is not JSON (edited or truncated)` });
      expectSeq++;
      return;
    }
    if (!e || typeof e !== "object" || typeof e.hash !== "string" || typeof e.seq !== "number") {
      problems.push({ line, seq: expectSeq, message: `entry #${expectSeq} has no seq/hash (not a chained entry)` });
      expectSeq++;
      return;
    }
    if (e.seq !== expectSeq) {
      problems.push({
        line,
        seq: e.seq,
        message:
          e.seq > expectSeq
            ? `entry #${expectSeq}${e.seq - expectSeq > 1 ? `–#${e.seq - 1}` : ""} removed (line ${line} holds #${e.seq})`
            : `entry #${e.seq} out of order or duplicated at line ${line} (expected #${expectSeq})`,
      });
    }
    if (entryHash(e) !== e.hash) {
      problems.push({ line, seq: e.seq, message: `entry #${e.seq} was edited (its content does not match its hash)` });
    }
    if (e.prev !== prev) {
      problems.push({
        line,
        seq: e.seq,
        message: `entry #${e.seq} does not follow the entry before it (prev ${String(e.prev).slice(0, 12)}… ≠ ${prev.slice(0, 12)}…): an entry before it was removed, edited or reordered`,
      });
    }
    entries.push(e);
    prev = e.hash;
    expectSeq = e.seq + 1;
  });
  return { file, entries, problems, head: prev };
}

/**
 * Append one entry. Refuses (throws) to extend a chain that no longer verifies: a tampered log is repaired
 * by people, not silently continued.
 */
export function appendChained(file: string, payload: Readonly<Record<string, unknown>>, now = new Date()): ChainEntry {
  const check = verifyChain(file);
  if (check.problems.length) {
    throw new Error(
      `${file} does not verify (${check.problems[0].message}); not appending — run \`zonegate evidence verify\``,
    );
  }
  const last = check.entries[check.entries.length - 1];
  const base = { ...payload, seq: (last?.seq ?? 0) + 1, time: now.toISOString(), prev: check.head };
  const entry = { ...base, hash: entryHash(base) } as ChainEntry;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = fs.openSync(file, "a");
  try {
    fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return entry;
}
