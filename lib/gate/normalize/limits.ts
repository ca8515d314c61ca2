/**
 * Input limits of the readers (issue 10 item 5): regular files only, size caps per kind, never block.
 *
 * Every input file is checked with `lstat` before it is opened (a FIFO, device, socket or directory is refused
 * without opening it, so a FIFO can never block the gate), then opened with `O_NONBLOCK | O_NOFOLLOW` and
 * checked again with `fstat` on the open descriptor (the file cannot be swapped between the two checks), and
 * read up to its size cap. Symlinks are followed only when they resolve to a regular file inside the input
 * directory (`/proc/self/…`, `/dev/zero`, files outside the directory are refused).
 *
 * Caps (bytes; override with the environment variable or the option):
 * | kind | default | environment |
 * | --- | --- | --- |
 * | plan JSON file | 512 MiB | `ZG_MAX_PLAN_BYTES` |
 * | one synthesized stack (`cdk.tf.json`) | 256 MiB | `ZG_MAX_SYNTH_FILE_BYTES` |
 * | one `.tf` / `.tf.json` / `.tfvars` file | 32 MiB | `ZG_MAX_HCL_FILE_BYTES` |
 * | all HCL files of one input (modules included) | 256 MiB | `ZG_MAX_HCL_TOTAL_BYTES` |
 * | resource instances expanded from one HCL input | 200 000 | `ZG_MAX_HCL_INSTANCES` |
 */
import { rememberDigest } from "../../fs/digest";
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "../errors";

export type InputKind = "plan" | "synth-file" | "hcl-file" | "hcl-total" | "hcl-instances";

const DEFAULTS: Record<InputKind, number> = {
  plan: 512 * 1024 * 1024,
  "synth-file": 256 * 1024 * 1024,
  "hcl-file": 32 * 1024 * 1024,
  "hcl-total": 256 * 1024 * 1024,
  "hcl-instances": 200_000,
};

const ENV: Record<InputKind, string> = {
  plan: "ZG_MAX_PLAN_BYTES",
  "synth-file": "ZG_MAX_SYNTH_FILE_BYTES",
  "hcl-file": "ZG_MAX_HCL_FILE_BYTES",
  "hcl-total": "ZG_MAX_HCL_TOTAL_BYTES",
  "hcl-instances": "ZG_MAX_HCL_INSTANCES",
};

/** Node's longest string (~512 MiB of UTF-16 code units): no text input can be larger than that. */
const MAX_STRING = 0x1fffffe8;

/** The cap for a kind: the option, else the environment variable, else the default. */
export function limitOf(kind: InputKind, override?: number): number {
  if (override !== undefined) return override;
  const env = process.env[ENV[kind]];
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new GateError(`${ENV[kind]}="${env}" is not a positive integer (a size cap in bytes or a count)`);
    }
    return kind === "plan" || kind === "hcl-file" || kind === "synth-file" ? Math.min(n, MAX_STRING) : n;
  }
  return DEFAULTS[kind];
}

export function limitEnv(kind: InputKind): string {
  return ENV[kind];
}

function describe(st: fs.Stats): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a directory";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

export interface ReadOptions {
  /** Shown in messages. */
  readonly display: string;
  /** What the file is, for messages ("plan file", "HCL file"). */
  readonly what: string;
  readonly kind: "plan" | "synth-file" | "hcl-file";
  /** Symlinks must resolve inside this directory (default: the file's own directory). */
  readonly within?: string;
  readonly maxBytes?: number;
}

/**
 * Check that `file` is a regular file (a symlink only when its target is a regular file inside `within`),
 * without opening it. Returns the resolved path and size.
 */
export function checkRegularFile(file: string, opts: ReadOptions): { real: string; size: number } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new GateError(`${opts.what} not found: ${opts.display}`);
    throw new GateError(`${opts.display}: cannot read ${opts.what} (${code ?? "error"})`);
  }
  let real = file;
  if (st.isSymbolicLink()) {
    try {
      real = fs.realpathSync(file);
      st = fs.statSync(real);
    } catch (e) {
      throw new GateError(
        `${opts.display}: ${opts.what} is a symbolic link that does not resolve (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    const within = fs.realpathSync(opts.within ?? path.dirname(path.resolve(file)));
    if (!inside(real, within)) {
      throw new GateError(
        `${opts.display}: ${opts.what} is a symbolic link to ${real}, outside ${opts.within ?? path.dirname(file)}; ` +
          `only regular files inside the input are read`,
      );
    }
  }
  if (!st.isFile()) {
    throw new GateError(`${opts.display}: ${opts.what} is ${describe(st)}; only regular files are read`);
  }
  try {
    // The C library's realpath: one call where the JavaScript one lstats every component (thousands of stack files).
    real = fs.realpathSync.native(real);
  } catch {
    // checked by the open below
  }
  if (real.startsWith("/proc/") || real.startsWith("/sys/") || real.startsWith("/dev/")) {
    throw new GateError(`${opts.display}: ${opts.what} is under ${real.split("/")[1]}/; only regular files are read`);
  }
  const max = limitOf(opts.kind, opts.maxBytes);
  if (st.size > max) {
    throw new GateError(
      `${opts.display}: ${opts.what} is ${st.size} bytes, over the ${max}-byte cap (${ENV[opts.kind]} raises it)`,
    );
  }
  return { real, size: st.size };
}

/**
 * Read a regular file as UTF-8 text within its cap. Opened with O_NONBLOCK (a FIFO swapped in after the
 * lstat never blocks) and checked again with fstat on the descriptor; never reads more than the cap.
 */
export function readInputFile(file: string, opts: ReadOptions): string {
  return readInputBytes(file, opts).toString("utf8");
}

/** {@link readInputFile}'s bytes, before they are decoded (every check made; the digest remembered). */
export function readInputBytes(file: string, opts: ReadOptions): Buffer {
  const { real } = checkRegularFile(file, opts);
  const max = limitOf(opts.kind, opts.maxBytes);
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (e) {
    throw new GateError(`${opts.display}: cannot open ${opts.what} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile())
      throw new GateError(`${opts.display}: ${opts.what} is ${describe(st)}; only regular files are read`);
    if (st.size > max) {
      throw new GateError(
        `${opts.display}: ${opts.what} is ${st.size} bytes, over the ${max}-byte cap (${ENV[opts.kind]} raises it)`,
      );
    }
    // Read at most cap + 1 bytes: a file that grows while being read is refused, not read without bound.
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n >= buf.length) {
        throw new GateError(`${opts.display}: ${opts.what} changed size while being read; refusing it`);
      }
    }
    if (buf.length > 0 && n > 0 && buf.indexOf(0, 0) >= 0 && buf.indexOf(0, 0) < n) {
      throw new GateError(`${opts.display}: ${opts.what} contains NUL bytes (binary data); not a text input`);
    }
    // The evidence record and the reports name the digest of these very bytes (computed off the main thread,
    // while they are parsed).
    const bytes = buf.subarray(0, n);
    if (opts.kind === "plan" || opts.kind === "synth-file") rememberDigest(file, bytes);
    return bytes;
  } catch (e) {
    if (e instanceof GateError) throw e;
    throw new GateError(`${opts.display}: cannot read ${opts.what} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/**
 * A JSON.parse error as ` at line L column C` when the engine gives a position (V8: "at position N").
 */
export function jsonErrorWhere(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return "";
  const { line, column } = lineColumn(text, Number(m[1]));
  return `:${line}:${column}`;
}

function hasNonFinite(doc: unknown): boolean {
  const stack: unknown[] = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return true;
    } else if (Array.isArray(v)) {
      for (const e of v) stack.push(e);
    } else if (v && typeof v === "object") {
      for (const e of Object.values(v)) stack.push(e);
    }
  }
  return false;
}

/**
 * Whether a JSON text may hold a number JSON.parse turns into ±Infinity: a number token with an exponent of 3+
 * digits, or a run of 309+ digits. An exponent inside a string (hex ids and hashes: "…8e123…") is told apart by
 * what precedes its mantissa: a number token follows `:`, `,`, `[`, whitespace or nothing. Anything doubtful
 * is "may" (the caller then walks the parsed document).
 */
export function mayHoldNonFinite(text: string): boolean {
  // A JSON exponent always follows a digit; a digit run is tried once, at its start (linear).
  const re = /\d[eE]\+?\d{3,}|(?<!\d)\d{309}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].length >= 309) return true;
    let i = m.index - 1; // before the mantissa's last digit: its other digits and decimal point
    while (i >= 0) {
      const c = text.charCodeAt(i);
      if ((c >= 48 && c <= 57) || c === 46) i--;
      else break;
    }
    if (i >= 0 && text.charCodeAt(i) === 45) i--; // a minus sign
    if (i < 0) return true;
    const c = text.charCodeAt(i);
    if (c === 58 || c === 44 || c === 91 || c === 32 || c === 10 || c === 13 || c === 9) return true;
  }
  return false;
}

/**
 * The first non-finite number (e.g. `1e400`, which JSON.parse turns into Infinity) in a parsed document, as a
 * dotted path; undefined when there is none. When the text is given it is checked first, so documents without a
 * long exponent or a run of 309+ digits are not walked at all.
 */
export function nonFinitePath(doc: unknown, text?: string): string | undefined {
  if (text !== undefined && !mayHoldNonFinite(text)) return undefined;
  // Look for a non-finite number without building paths first (a 15k-resource plan: ~40 ms instead of
  // ~180), and name the path only when there is one.
  if (!hasNonFinite(doc)) return undefined;
  const stack: [unknown, string][] = [[doc, ""]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return p || "(document)";
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], p ? `${p}[${i}]` : `[${i}]`]);
    } else if (v && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push([(v as Record<string, unknown>)[keys[i]], p ? `${p}.${keys[i]}` : keys[i]]);
    }
  }
  return undefined;
}

/** Maximum nesting of `[`/`{` in a JSON text (strings skipped); linear, no recursion, regex-driven. */
export function jsonDepth(text: string): number {
  const re = /["[\]{}]/g;
  let depth = 0;
  let max = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const c = m[0];
    if (c === '"') {
      // Skip the string: the next quote not escaped by an odd run of backslashes.
      let j = m.index;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) return max;
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      re.lastIndex = j + 1;
    } else if (c === "{" || c === "[") {
      if (++depth > max) max = depth;
    } else depth--;
  }
  return max;
}
