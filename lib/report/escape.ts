/**
 * Showing untrusted text (resource addresses, messages quoting input values, file names) so that it cannot
 * forge report lines: control characters (C0 incl. ESC/CR/LF, DEL, C1), bidi overrides and isolates, line
 * and paragraph separators, zero-width joiners and BOMs are shown as `\u{…}` escapes. The result is plain
 * printable text, safe for a terminal, Markdown and (after the XML layer's own escaping) XML 1.0.
 */

/* eslint-disable no-control-regex -- the class names control characters on purpose */
const UNSAFE = new RegExp(
  "[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2069\\ufeff\\ufff9-\\ufffb\\ufffe\\uffff\\ud800-\\udfff]",
  "gu",
);
/* eslint-enable no-control-regex */

function escapeChar(c: string): string {
  const cp = c.codePointAt(0)!;
  // Lone surrogates (not valid in XML, not printable) included: a valid pair never matches singly because
  // of the `u` flag.
  return `\\u{${cp.toString(16).padStart(4, "0")}}`;
}

/** Escape every unsafe character (newlines too: one value stays one line). */
export function safeText(s: unknown): string {
  return String(s ?? "").replace(UNSAFE, escapeChar);
}

/** Escape unsafe characters but keep `\n` line breaks (multi-line messages the tool itself wrote). */
export function safeLines(s: unknown): string {
  return String(s ?? "")
    .split("\n")
    .map((l) => safeText(l))
    .join("\n");
}

/** Whether a string holds a character `safeText` would escape. */
export function hasUnsafe(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const r = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return r;
}

/** A deep copy with every string (and object key) passed through `safeText` — for display formats. */
export function sanitizeDeep<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === "string") return safeText(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x as Record<string, unknown>)) out[safeText(k)] = walk(val);
      return out;
    }
    return x;
  };
  return walk(v) as T;
}
