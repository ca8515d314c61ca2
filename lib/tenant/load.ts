/**
 * Loading and validating tenant files (`tenants/<id>.yaml`).
 *
 * Every problem in every file is reported in one run, each with file:line:column and the path of the
 * offending node; nothing throws for bad input. Order of work per file: safe read (size cap, regular file,
 * no symlink escaping the directory) → decode (UTF-8 only, no NUL/control/bidi characters) → YAML (one
 * document, no anchors/aliases, no duplicate keys) → JSON Schema (ajv) → semantic checks (./semantics.ts: residency,
 * address spaces, URLs, time zone, retention minimums, derived names) → defaults. Then across all files:
 * unique ids, non-overlapping address spaces, non-colliding globally unique names.
 */
import fs from "node:fs";
import path from "node:path";
import { applyDefaults, type RawTenant } from "./defaults";
import { displayPath, show, sortProblems, type Problem } from "./problems";
import { isInvalid, validateTenantDocument } from "./schema";
import type { GatewayApi, Tenant } from "./types";
import { parseOpenApi } from "../gateway/openapi";

/** Size limit of one OpenAPI document (gateway.apis[].openapi). */
export const MAX_OPENAPI_FILE_BYTES = 1024 * 1024;
import { LineIndex, parseYamlWithPositions, positionOf, YamlProblem } from "./yaml";
import { Collector } from "./collector";
import { checkSemantics, type Candidate } from "./semantics";

export { formatProblem, formatProblems, summarizeProblems, type Problem } from "./problems";
export { GLOBAL_NAME_KINDS, MAX_PREFIX, MIN_PREFIX } from "./semantics";

/** Default size cap of a tenant file. */
export const MAX_TENANT_FILE_BYTES = 256 * 1024;

export interface LoadOptions {
  /** Size cap in bytes (default 256 KiB); bigger files are not parsed. */
  readonly maxBytes?: number;
  /** Paths in problems are relative to this directory when inside it (default: process.cwd()). */
  readonly cwd?: string;
}

export interface LoadResult {
  /** Tenants whose files have no problems, defaults applied, sorted by id. */
  readonly tenants: Tenant[];
  /** Errors, sorted by file, line, column. Any error means the estate must not be built. */
  readonly problems: Problem[];
  /** Non-blocking notices (e.g. a non-YAML file in the directory, which is ignored). */
  readonly warnings: Problem[];
}

interface FileResult {
  tenant?: Tenant;
  problems: Problem[];
  candidate?: Candidate;
}

function displayFile(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
  return shown.split(path.sep).join("/");
}

// ---------------------------------------------------------------------------------------------------------
// Reading and decoding

type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; message: string; expected?: string };

function readCapped(abs: string, maxBytes: number): ReadOutcome {
  let fd: number | undefined;
  try {
    const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
    fd = fs.openSync(abs, flags);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, message: "not a regular file; refused" };
    if (st.size > maxBytes) {
      return {
        ok: false,
        message: `file is ${st.size} bytes, over the limit of ${maxBytes} bytes; not parsed`,
        expected: `a tenant file under ${Math.floor(maxBytes / 1024)} KiB`,
      };
    }
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > maxBytes) {
        return { ok: false, message: `file grew over the limit of ${maxBytes} bytes while being read; not parsed` };
      }
      if (n === buf.length) break;
    }
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { ok: false, message: "is a symbolic link; refused" };
    if (code === "ENOENT") return { ok: false, message: "file does not exist" };
    if (code === "EACCES" || code === "EPERM") return { ok: false, message: "file cannot be read (permission denied)" };
    if (code === "EISDIR") return { ok: false, message: "is a directory, not a tenant file" };
    return { ok: false, message: `file cannot be read (${code ?? "error"})` };
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* ignore */
      }
    }
  }
}

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = b[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

const FORBIDDEN_CHARS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_CHAR_PROBLEMS = 5;

function describeChar(c: string): string {
  const code = c.charCodeAt(0);
  const u = "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  if (code === 0) return `NUL byte (${u}) is not allowed; tenant files must be plain text`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `control character ${u} is not allowed`;
  if (code === 0xfeff) return `byte-order mark (${u}) is only allowed at the very start of the file`;
  return `invisible or bidirectional-control character ${u} is not allowed (text would display differently from how it is parsed)`;
}

type DecodeOutcome = { ok: true; text: string } | { ok: false };

function decode(bytes: Buffer, col: Collector): DecodeOutcome {
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff)
  ) {
    col.raw(1, 1, "file is UTF-16/UTF-32 encoded (byte-order mark); tenant files must be UTF-8", "UTF-8 text");
    return { ok: false };
  }
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    const lineStart = body.lastIndexOf(0x0a, bad - 1) + 1;
    const line = bad === 0 ? 1 : body.subarray(0, bad).filter((b) => b === 0x0a).length + 1;
    const column = body.subarray(lineStart, bad).toString("utf8").length + 1;
    const hex = "0x" + body[bad].toString(16).toUpperCase().padStart(2, "0");
    col.raw(line, column, `invalid UTF-8 byte ${hex}; tenant files must be UTF-8 text`, "UTF-8 text");
    return { ok: false };
  }
  const text = body.toString("utf8");
  const lines = new LineIndex(text);
  let count = 0;
  let total = 0;
  let last: { line: number; column: number } | undefined;
  for (const m of text.matchAll(FORBIDDEN_CHARS)) {
    total++;
    const p = lines.at(m.index ?? 0);
    last = p;
    if (count < MAX_CHAR_PROBLEMS) {
      col.raw(p.line, p.column, describeChar(m[0]));
      count++;
    }
  }
  if (total > count && last) col.raw(last.line, last.column, `${total - count} more forbidden characters not listed`);
  return total ? { ok: false } : { ok: true, text };
}

const TENANT_KEYS =
  "id, displayName, tier, frameworks, residency, regions, environments, gateway, contacts, changeWindow";

// ---------------------------------------------------------------------------------------------------------
// One file

function loadOne(abs: string, file: string, opts: LoadOptions): FileResult {
  const col = new Collector(file);
  try {
    if (!/\.yaml$/.test(file)) {
      col.raw(0, 0, "tenant files must be named <id>.yaml");
      return { problems: col.problems };
    }
    const read = readCapped(abs, opts.maxBytes ?? MAX_TENANT_FILE_BYTES);
    if (!read.ok) {
      col.raw(0, 0, read.message, read.expected);
      return { problems: col.problems };
    }
    const dec = decode(read.bytes, col);
    if (!dec.ok) return { problems: col.problems };
    const text = dec.text;
    let parsed;
    try {
      parsed = parseYamlWithPositions(text, file);
    } catch (e) {
      if (e instanceof YamlProblem) col.raw(e.line, e.column, e.message);
      else col.raw(1, 1, `YAML could not be parsed: ${e instanceof Error ? e.message : String(e)}`);
      return { problems: col.problems };
    }
    col.setPositions(parsed.positions);
    const docs = parsed.documents;
    if (docs.length === 0 || (docs.length === 1 && (docs[0] === null || docs[0] === undefined))) {
      col.raw(1, 1, "file is empty", `a tenant mapping with keys ${TENANT_KEYS}`);
      return { problems: col.problems };
    }
    if (docs.length > 1) {
      const start = parsed.documentStarts[1] ?? { line: 1, column: 1 };
      col.raw(start.line, start.column, `file holds ${docs.length} YAML documents; a tenant file holds exactly one`);
    }
    const doc = docs[0];
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      const what = Array.isArray(doc)
        ? "a list"
        : doc === null || doc === undefined
          ? "nothing"
          : `a ${typeof doc} ${show(doc)}`;
      col.at("", `top level must be a mapping of tenant keys, got ${what}`, `a mapping with keys ${TENANT_KEYS}`);
      return { problems: col.problems };
    }
    const { issues, invalid } = validateTenantDocument(doc);
    for (const i of issues) col.at(i.pointer, i.message, i.expected, i.atKey, i.pathPointer);
    const candidate = checkSemantics(doc as Record<string, unknown>, file, col, invalid);
    candidate.positions = parsed.positions;
    const apis = loadApis(doc as Record<string, unknown>, abs, file, col, invalid);
    if (col.problems.length) return { problems: col.problems, candidate };
    return { tenant: applyDefaults(doc as unknown as RawTenant, file, apis), problems: [], candidate };
  } catch (e) {
    // Defensive: a bug must never become a stack trace for the user.
    col.raw(0, 0, `internal error while loading: ${e instanceof Error ? e.message : String(e)}`);
    return { problems: col.problems };
  }
}

// ---------------------------------------------------------------------------------------------------------
// OpenAPI documents of gateway.apis[]

/**
 * Read and check every `gateway.apis[].openapi` document (relative to the tenant file's directory, inside it, no
 * symbolic links out of it). Problems in a document are reported at its own file:line:column; problems about the
 * reference (missing file, duplicate names or paths, an ownership parameter no operation has) at the tenant file.
 */
function loadApis(
  doc: Record<string, unknown>,
  abs: string,
  file: string,
  col: Collector,
  invalid: ReadonlySet<string>,
): GatewayApi[] {
  const ok = (ptr: string): boolean => !isInvalid(invalid, ptr);
  const gw = doc.gateway as Record<string, unknown> | undefined;
  const list = gw && typeof gw === "object" ? gw.apis : undefined;
  if (!Array.isArray(list) || !ok("/gateway/apis")) return [];
  const dir = path.dirname(abs);
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
  } catch {
    realDir = dir;
  }
  const out: GatewayApi[] = [];
  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  list.forEach((raw, i) => {
    const ptr = `/gateway/apis/${i}`;
    if (!raw || typeof raw !== "object" || !ok(ptr) || !ok(`${ptr}/openapi`) || !ok(`${ptr}/name`)) return;
    const a = raw as {
      name: string;
      displayName?: string;
      path: string;
      openapi: string;
      ownership?: { parameter: string; claim: string };
    };
    if (names.has(a.name))
      col.at(
        `${ptr}/name`,
        `duplicate API name ${show(a.name)} (also gateway.apis[${names.get(a.name)}])`,
        "unique API names",
      );
    else names.set(a.name, i);
    if (paths.has(a.path))
      col.at(
        `${ptr}/path`,
        `duplicate API path ${show(a.path)} (also gateway.apis[${paths.get(a.path)}])`,
        "unique API paths",
      );
    else paths.set(a.path, i);
    const target = path.resolve(dir, a.openapi);
    const shown = path.posix.join(path.posix.dirname(file), a.openapi);
    let real: string;
    try {
      real = fs.realpathSync(target);
    } catch {
      col.at(
        `${ptr}/openapi`,
        `OpenAPI file ${show(a.openapi)} does not exist`,
        "a file relative to the tenants directory",
      );
      return;
    }
    if (real !== realDir && !real.startsWith(realDir + path.sep)) {
      col.at(`${ptr}/openapi`, `OpenAPI file ${show(a.openapi)} resolves outside the tenants directory; refused`);
      return;
    }
    const read = readCapped(real, MAX_OPENAPI_FILE_BYTES);
    if (!read.ok) {
      col.at(
        `${ptr}/openapi`,
        `OpenAPI file ${show(a.openapi)}: ${read.message}`,
        read.expected?.replace("a tenant file", "an OpenAPI file"),
      );
      return;
    }
    const docCol = new Collector(shown);
    const dec = decode(read.bytes, docCol);
    const own = (m: string) => m.replace(/tenant files/g, "OpenAPI files");
    if (!dec.ok) {
      col.problems.push(...docCol.problems.map((p) => ({ ...p, message: own(p.message) })));
      return;
    }
    const parsed = parseOpenApi(dec.text);
    for (const is of parsed.issues.map((x) => ({ ...x, message: own(x.message) }))) {
      col.problems.push({
        file: shown,
        line: is.line,
        column: is.column,
        path: is.path,
        message: is.message,
        ...(is.expected ? { expected: is.expected } : {}),
      });
    }
    const summary = parsed.summary;
    if (!summary) return;
    if (a.ownership && !summary.operations.some((o) => o.pathParameters.includes(a.ownership!.parameter))) {
      col.at(
        `${ptr}/ownership/parameter`,
        `no operation of ${show(a.openapi)} has the path parameter ${show(a.ownership.parameter)}`,
        `one of: ${[...new Set(summary.operations.flatMap((o) => o.pathParameters))].join(", ") || "(the document has no path parameters)"}`,
      );
      return;
    }
    const displayName = a.displayName ?? summary.title;
    // eslint-disable-next-line no-control-regex
    if (/[{}@$%]/.test(displayName) || /[\u0000-\u001f]/.test(displayName)) {
      col.at(
        `${ptr}/displayName`,
        `display name ${show(displayName)} (from info.title) has characters APIM or Terraform would interpret`,
        "set gateway.apis[].displayName",
      );
      return;
    }
    out.push({
      name: a.name,
      displayName,
      path: a.path,
      openapi: a.openapi,
      format: /\.json$/.test(a.openapi) ? "openapi+json" : "openapi",
      content: dec.text,
      version: summary.version,
      operations: summary.operations,
      ...(a.ownership ? { ownership: { parameter: a.ownership.parameter, claim: a.ownership.claim } } : {}),
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Across files

function crossChecks(cands: Candidate[]): Problem[] {
  const out: Problem[] = [];
  const at = (c: Candidate, pointer: string, message: string, expected?: string): void => {
    const pos = positionOf(c.positions, pointer);
    out.push({
      file: c.file,
      line: pos.line,
      column: pos.column,
      path: displayPath(pointer),
      message,
      ...(expected ? { expected } : {}),
    });
  };
  const where = (c: Candidate, pointer: string): string => {
    const pos = positionOf(c.positions, pointer);
    return `${c.file}:${pos.line}:${pos.column} ${displayPath(pointer)}`;
  };

  // unique ids
  const byId = new Map<string, Candidate[]>();
  for (const c of cands) if (c.id !== undefined) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const c of group) {
      const others = group.filter((o) => o !== c).map((o) => o.file);
      at(c, "/id", `duplicate tenant id ${show(id)} (also in ${others.join(", ")})`, "ids unique across the estate");
    }
  }

  // address spaces must not overlap (within a tenant or across tenants)
  const all = cands.flatMap((c) => c.cidrs.map((r) => ({ c, ...r })));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      const overlap = a.range[0].match(b.range) || b.range[0].match(a.range);
      if (!overlap) continue;
      const who = (x: typeof a): string => (x.c.id !== undefined ? ` of tenant ${show(x.c.id)}` : "");
      at(a.c, a.pointer, `address space ${a.text} overlaps ${b.text}${who(b)} at ${where(b.c, b.pointer)}`);
      at(b.c, b.pointer, `address space ${b.text} overlaps ${a.text}${who(a)} at ${where(a.c, a.pointer)}`);
    }
  }

  // globally unique derived names must not collide
  const byName = new Map<string, { c: Candidate; env: string; region: string }[]>();
  for (const c of cands) {
    for (const n of c.names) {
      const key = `${n.kind}:${n.name}`;
      byName.set(key, [...(byName.get(key) ?? []), { c, env: n.env, region: n.region }]);
    }
  }
  const reported = new Set<string>();
  for (const [key, users] of byName) {
    // Users sharing a tenant id are already reported as duplicate ids.
    if (new Set(users.map((u) => u.c.id)).size < 2) continue;
    const [kind, name] = key.split(":");
    for (const u of users) {
      const others = users.filter((o) => o.c.id !== u.c.id).map((o) => `${o.c.id}/${o.env}/${o.region} in ${o.c.file}`);
      const msg = `derived ${kind} name ${show(name)} for ${u.env}/${u.region} collides with ${others.join(", ")}`;
      if (reported.has(u.c.file + msg)) continue;
      reported.add(u.c.file + msg);
      at(u.c, "/id", msg, "globally unique names; change the tenant id");
    }
  }
  return out;
}

function finish(results: FileResult[], extra: Problem[], warnings: Problem[]): LoadResult {
  const cands = results.flatMap((r) => (r.candidate ? [r.candidate] : []));
  let cross: Problem[] = [];
  try {
    cross = crossChecks(cands);
  } catch (e) {
    cross = [
      {
        file: "",
        line: 0,
        column: 0,
        path: "",
        message: `internal error in cross-tenant checks: ${e instanceof Error ? e.message : String(e)}`,
      },
    ];
  }
  const problems = sortProblems([...extra, ...results.flatMap((r) => r.problems), ...cross]);
  const bad = new Set(problems.map((p) => p.file));
  const tenants = results
    .flatMap((r) => (r.tenant && !bad.has(r.tenant.sourceFile) ? [r.tenant] : []))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { tenants, problems, warnings: sortProblems(warnings) };
}

/** Load one tenant file (no cross-tenant checks beyond the file itself). */
export function loadTenantFile(file: string, opts: LoadOptions = {}): { tenant?: Tenant; problems: Problem[] } {
  const r = loadTenantFiles([file], opts);
  return { tenant: r.tenants[0], problems: r.problems };
}

/**
 * Load a given list of tenant files with all per-file and cross-tenant checks. Symbolic links are
 * refused when they point outside the directory of the link.
 */
export function loadTenantFiles(files: readonly string[], opts: LoadOptions = {}): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const results: FileResult[] = [];
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    const shown = displayFile(abs, cwd);
    const entry = resolveEntry(abs, path.dirname(abs));
    if (entry.problem) {
      results.push({ problems: [{ file: shown, line: 0, column: 0, path: "", message: entry.problem }] });
      continue;
    }
    results.push(loadOne(entry.path!, shown, opts));
  }
  return finish(results, [], []);
}

/** Resolve a directory entry: symlinks only when they stay inside `root`. */
function resolveEntry(abs: string, root: string): { path?: string; problem?: string; kind?: "file" | "dir" | "other" } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})` };
  }
  if (st.isSymbolicLink()) {
    let target: string;
    let realRoot: string;
    try {
      target = fs.realpathSync(abs);
      realRoot = fs.realpathSync(root);
    } catch {
      return { problem: "is a broken symbolic link; refused" };
    }
    const rel = path.relative(realRoot, target);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
      return { problem: `is a symbolic link pointing outside ${path.basename(root) || root} (to ${target}); refused` };
    }
    const tst = fs.statSync(target);
    return { path: target, kind: tst.isFile() ? "file" : tst.isDirectory() ? "dir" : "other" };
  }
  return { path: abs, kind: st.isFile() ? "file" : st.isDirectory() ? "dir" : "other" };
}

/**
 * Load every `*.yaml` tenant file of a directory. Hidden entries (`.name`) are skipped; `*.yml` files are
 * errors (use `.yaml`); other files and subdirectories are ignored with a warning.
 */
export function loadTenants(dir: string, opts: LoadOptions = {}): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const absDir = path.resolve(cwd, dir);
  const shownDir = displayFile(absDir, cwd);
  const extra: Problem[] = [];
  const warnings: Problem[] = [];
  const results: FileResult[] = [];
  const dirs: { name: string; shown: string }[] = [];
  let names: string[];
  try {
    if (!fs.statSync(absDir).isDirectory()) {
      return finish([], [{ file: shownDir, line: 0, column: 0, path: "", message: "is not a directory" }], []);
    }
    names = fs.readdirSync(absDir).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT" ? "tenant directory does not exist" : `tenant directory cannot be read (${code ?? "error"})`;
    return finish([], [{ file: shownDir, line: 0, column: 0, path: "", message }], []);
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const abs = path.join(absDir, name);
    const shown = displayFile(abs, cwd);
    try {
      const entry = resolveEntry(abs, absDir);
      if (entry.problem) {
        extra.push({ file: shown, line: 0, column: 0, path: "", message: entry.problem });
        continue;
      }
      if (entry.kind === "dir") {
        // decided after loading: a directory holding a tenant's OpenAPI documents (gateway.apis) is not ignored
        dirs.push({ name, shown });
        continue;
      }
      if (name.endsWith(".yml")) {
        extra.push({
          file: shown,
          line: 0,
          column: 0,
          path: "",
          message: "tenant files must use the .yaml extension",
          expected: `${name.slice(0, -4)}.yaml`,
        });
        continue;
      }
      if (!name.endsWith(".yaml")) {
        warnings.push({
          file: shown,
          line: 0,
          column: 0,
          path: "",
          message: "not a .yaml file; ignored",
          severity: "warning",
        });
        continue;
      }
      if (entry.kind !== "file") {
        extra.push({ file: shown, line: 0, column: 0, path: "", message: "not a regular file; refused" });
        continue;
      }
      results.push(loadOne(entry.path!, shown, opts));
    } catch (e) {
      extra.push({
        file: shown,
        line: 0,
        column: 0,
        path: "",
        message: `cannot be loaded: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  const referenced = new Set(
    results.flatMap((r) => (r.tenant?.gateway.apis ?? []).map((a) => a.openapi.split("/")[0])),
  );
  for (const d of dirs) {
    if (referenced.has(d.name)) continue;
    warnings.push({
      file: d.shown,
      line: 0,
      column: 0,
      path: "",
      message: "directory ignored (tenant files are <id>.yaml)",
      severity: "warning",
    });
  }
  return finish(results, extra, warnings);
}
