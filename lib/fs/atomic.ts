/**
 * Durable, atomic file output: every file is written to a temp file beside its target, fsynced and renamed
 * over the target, so a reader (or a crash) sees either the old file or the complete new one — never a cut
 * one. A set of files is written as "all or none": every temp first, then the renames; when any temp fails
 * (full disk, read-only directory) every temp is removed and nothing is replaced.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { injectedWriteFailure } from "../faults";

/** A short reason for a file-system error code (the raw message names syscalls). */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "read-only file system";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a parent is not a directory";
    case "EISDIR":
      return "is a directory";
    case "ENOENT":
      return "no such file or directory";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    case "EIO":
      return "I/O error";
    default:
      return err?.code ? `${err.code}` : String((err as Error)?.message ?? e).split("\n")[0];
  }
}

/** fsync a directory (makes renames in it durable); ignored where the platform cannot. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // e.g. Windows cannot open directories: renames there are durable enough
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write and fsync one file (the caller renames it). */
export function writeDurable(file: string, data: string | Uint8Array): void {
  injectedWriteFailure(file);
  const fd = fs.openSync(file, "w", 0o644);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync one existing file. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync every file and directory under `dir` (before renaming a staged directory into place). */
export function fsyncTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) fsyncTree(p);
    else if (e.isFile()) fsyncFile(p);
  }
  fsyncDir(dir);
}

export interface OutputFile {
  readonly file: string;
  readonly data: string | Uint8Array;
}

/** Temp name of a target: hidden, beside it, tagged with this process id. */
export function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
}

export class OutputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "OutputError";
  }
}

/**
 * Write every file or none: temps (written + fsynced) first, then renamed over the targets in order.
 * `between` runs after all temps are written and before the first rename (a test hook).
 */
export function writeAllOrNone(files: readonly OutputFile[], between?: (renamed: number) => void): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = tempName(f.file);
      temps.push(tmp);
      writeDurable(tmp, f.data);
    }
  } catch (e) {
    for (const t of temps) fs.rmSync(t, { force: true });
    const failed = files[temps.length - 1]?.file ?? files[0]?.file ?? "";
    throw new OutputError(`cannot write ${failed}: ${fsReason(e)} — no report was replaced`, failed, e);
  }
  between?.(0);
  for (let i = 0; i < files.length; i++) {
    try {
      fs.renameSync(temps[i], files[i].file);
    } catch (e) {
      for (const t of temps.slice(i)) fs.rmSync(t, { force: true });
      throw new OutputError(`cannot replace ${files[i].file}: ${fsReason(e)}`, files[i].file, e);
    }
    between?.(i + 1);
  }
  const dirs = new Set(files.map((f) => path.dirname(f.file)));
  for (const d of dirs) fsyncDir(d);
}

/** Whether a process with this id is running (a temp of a live run must not be swept). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove leftovers of killed runs beside `target`: `<target>.tmp-<pid>` / `<target>.old-<pid>` (and hidden
 * `.<name>.tmp-<pid>` temps in `dir`) whose process is gone. Returns what was removed.
 */
export function sweepStale(target: string): string[] {
  const dir = path.dirname(path.resolve(target));
  const base = path.basename(target);
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  const re = new RegExp(`^\\.?${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(?:tmp|old)-(\\d+)$`);
  for (const n of names) {
    const m = re.exec(n);
    if (!m || pidAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, n), { recursive: true, force: true });
    removed.push(path.join(dir, n));
  }
  return removed;
}

/** Remove hidden temps `.<file>.tmp-<pid>` of dead processes inside `dir` (e.g. reports/). */
export function sweepStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = /^\..+\.tmp-(\d+)$/.exec(n);
    if (!m || pidAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, n), { recursive: true, force: true });
    removed.push(path.join(dir, n));
  }
  return removed;
}
