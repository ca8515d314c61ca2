/**
 * Content checks without re-reading unchanged files: a file whose content was hashed in an earlier run is
 * trusted again only while its inode, size, mtime and ctime (nanoseconds) are exactly those recorded
 * right after hashing it. Any write to a file changes its ctime, which no user-space call can set back.
 *
 * As with git's index, a file whose ctime is too close to when the records were saved is "racy" (a write
 * in the same clock tick would leave the ctime unchanged) and is hashed again. Records live in one file
 * (`<cacheDir>/.verified.json`, a dot name: never pruned as an entry); a missing or damaged record file
 * only means hashing everything once more.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "./keys";
import { statSignature, trustedSince } from "../fs/stat-sig";

const FORMAT = "zonegate-verified/1";

interface StatRecord {
  /** sha256 of the content. */
  readonly h: string;
  /** `ino:size:mtimeNs:ctimeNs`. */
  readonly s: string;
}

export class FileVerifier {
  private readonly old = new Map<string, StatRecord>();
  private readonly next = new Map<string, StatRecord>();
  private savedNs = 0n;

  constructor(private readonly file: string) {
    try {
      const j = JSON.parse(fs.readFileSync(file, "utf8")) as {
        format?: unknown;
        savedNs?: unknown;
        files?: Record<string, StatRecord>;
      };
      if (j.format === FORMAT && typeof j.savedNs === "string" && j.files && typeof j.files === "object") {
        this.savedNs = BigInt(j.savedNs);
        for (const [f, r] of Object.entries(j.files))
          if (typeof r?.h === "string" && typeof r?.s === "string") this.old.set(f, r);
      }
    } catch {
      // no usable records: every file is hashed
    }
  }

  /** Does `file` (a regular file, not a link) hold content with sha256 `hash`? */
  verify(file: string, hash: string): boolean {
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(file, { bigint: true });
    } catch {
      return false;
    }
    if (!st.isFile()) return false;
    const sig = statSignature(st);
    const rec = this.old.get(file);
    if (rec && rec.h === hash && rec.s === sig && trustedSince(sig, this.savedNs)) {
      this.next.set(file, rec);
      return true;
    }
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return false;
    }
    if (sha256(buf) !== hash) return false;
    // Record only when nothing changed while reading.
    try {
      const after = fs.lstatSync(file, { bigint: true });
      if (statSignature(after) === sig) this.next.set(file, { h: hash, s: sig });
    } catch {
      // gone again: not recorded
    }
    return true;
  }

  /** Forget a file (its content is about to change or go away). */
  forget(file: string): void {
    this.next.delete(file);
  }

  /** Keep the records of the files verified in this run (best effort: a failure only costs re-hashing). */
  save(): void {
    try {
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const tmp = `${this.file}.tmp-${process.pid}`;
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(
        tmp,
        JSON.stringify({ format: FORMAT, savedNs: String(nowNs), files: Object.fromEntries(this.next) }),
      );
      fs.renameSync(tmp, this.file);
    } catch {
      // ignore
    }
  }
}
