/**
 * Problems found while loading tenant files, and their human-readable form:
 * `tenants/foo.yaml:12:5 regions[1].name: region "eastus" is outside residency zone "eu" (expected one of: …)`.
 */

export interface Problem {
  /** File the problem is in, as given to the loader (repo-relative when under the working directory). */
  readonly file: string;
  /** 1-based line; 0 when the problem concerns the file or directory as a whole. */
  readonly line: number;
  /** 1-based column; 0 with line 0. */
  readonly column: number;
  /** Path of the offending node, e.g. `regions[1].name`; `""` for the document or file itself. */
  readonly path: string;
  /** What is wrong, in plain words. */
  readonly message: string;
  /** What was expected instead, e.g. `one of: westeurope, northeurope`. */
  readonly expected?: string;
  /** `error` (default) blocks loading; `warning` is informational (e.g. an ignored non-YAML file). */
  readonly severity?: "error" | "warning";
}

/** One problem as one line. */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const path = p.path ? ` ${p.path}:` : "";
  const sev = p.severity === "warning" ? " warning:" : "";
  const expected = p.expected ? ` (expected ${p.expected})` : "";
  return `${where}${sev}${path} ${p.message}${expected}`;
}

/** Problems as lines, in the order given (the loader already sorts them). */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join("\n");
}

/** e.g. `3 problems in 2 files (1 warning)`; `no problems` when empty. */
export function summarizeProblems(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity !== "warning");
  const warnings = problems.length - errors.length;
  const files = new Set(errors.map((p) => p.file)).size;
  const parts: string[] = [];
  if (errors.length) {
    parts.push(`${errors.length} problem${errors.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`);
  }
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.length ? parts.join(", ") : "no problems";
}

/** Stable order: file, line, column, path, message. */
export function sortProblems(problems: Problem[]): Problem[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return problems.sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.path, b.path) || cmp(a.message, b.message),
  );
}

/** A user-supplied value for a message: JSON-quoted (control characters escaped) and shortened. */
export function show(value: unknown, max = 60): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (value === undefined) s = "undefined";
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  // Escape what JSON.stringify leaves alone but terminals or readers could trip over.
  s = s.replace(/[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => {
    return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
  });
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** Closest candidate by edit distance, if close enough to be a plausible typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (typeof input !== "string" || input.length > 64) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  const a = input.toLowerCase();
  for (const c of candidates) {
    const d = levenshtein(a, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(input.length, 3) / 3));
  if (best !== undefined && bestD <= limit && best !== input) return best;
  // A shortened form of exactly one candidate (e.g. "scopes" for "requiredScopes").
  if (a.length >= 4) {
    const partial = candidates.filter((c) => c.toLowerCase().includes(a));
    if (partial.length === 1 && partial[0] !== input) return partial[0];
  }
  return undefined;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** `/regions/1/name` → `regions[1].name`. */
export function displayPath(pointer: string): string {
  if (pointer === "") return "";
  const segs = pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = "";
  for (const s of segs) {
    if (/^(0|[1-9][0-9]*)$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${show(s, 40)}]`;
  }
  return out;
}
