/**
 * Waiver address globs in a small, safe syntax, matched without regular expressions or recursion:
 * `*` (any run of characters, including none), `?` (one character), `[abc]` / `[a-z]` / `[!abc]` classes
 * (`[[]` is a literal `[`), and `\x` for a literal x. Braces, extglobs (`@(…)`, `+(…)`, `!(…)`…), globstars
 * and negation are refused when the file is loaded, so no pattern can blow up: matching is the classic
 * two-pointer wildcard algorithm, O(pattern × text) at worst, with both lengths capped.
 */

export const MAX_GLOB_LENGTH = 512;
export const MAX_GLOB_STARS = 16;

type Tok =
  | { readonly k: "lit"; readonly c: string }
  | { readonly k: "one" }
  | { readonly k: "star" }
  | { readonly k: "class"; readonly neg: boolean; readonly set: readonly (readonly [number, number])[] };

export interface Glob {
  readonly source: string;
  readonly tokens: readonly Tok[];
}

export class GlobError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Compile a glob; throws GlobError (with a 1-based column) for anything outside the safe syntax. */
export function compileGlob(source: string): Glob {
  if (source.length > MAX_GLOB_LENGTH)
    throw new GlobError(`glob is ${source.length} characters (limit ${MAX_GLOB_LENGTH})`, 1);
  const chars = [...source];
  const tokens: Tok[] = [];
  let stars = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const col = i + 1;
    if (c === "\\") {
      if (i + 1 >= chars.length) throw new GlobError("dangling \\ at the end of the glob", col);
      tokens.push({ k: "lit", c: chars[++i] });
    } else if (c === "*") {
      if (chars[i + 1] === "*") throw new GlobError("`**` is not supported (one `*` matches any characters)", col);
      if (chars[i + 1] === "(") throw new GlobError("extglob `*(…)` is not supported", col);
      stars++;
      tokens.push({ k: "star" });
    } else if (c === "?") {
      if (chars[i + 1] === "(") throw new GlobError("extglob `?(…)` is not supported", col);
      tokens.push({ k: "one" });
    } else if ((c === "@" || c === "+" || c === "!") && chars[i + 1] === "(") {
      throw new GlobError(`extglob \`${c}(…)\` is not supported`, col);
    } else if (c === "!" && i === 0) {
      throw new GlobError("negated globs (leading `!`) are not supported", col);
    } else if (c === "{" || c === "}") {
      throw new GlobError("brace alternatives `{a,b}` are not supported (write one waiver per alternative)", col);
    } else if (c === "[") {
      let j = i + 1;
      let neg = false;
      if (chars[j] === "!" || chars[j] === "^") {
        neg = true;
        j++;
      }
      const set: [number, number][] = [];
      let first = true;
      while (j < chars.length && (chars[j] !== "]" || first)) {
        first = false;
        let lo = chars[j];
        if (lo === "\\" && j + 1 < chars.length) lo = chars[++j];
        if (chars[j + 1] === "-" && j + 2 < chars.length && chars[j + 2] !== "]") {
          let hi = chars[j + 2];
          j += 2;
          if (hi === "\\" && j + 1 < chars.length) hi = chars[++j];
          const a = lo.codePointAt(0)!;
          const b = hi.codePointAt(0)!;
          if (a > b) throw new GlobError(`class range ${lo}-${hi} is reversed`, col);
          set.push([a, b]);
        } else {
          const a = lo.codePointAt(0)!;
          set.push([a, a]);
        }
        j++;
      }
      if (j >= chars.length) throw new GlobError("unclosed `[` (write `[[]` for a literal `[`)", col);
      tokens.push({ k: "class", neg, set });
      i = j;
    } else {
      tokens.push({ k: "lit", c });
    }
  }
  if (stars > MAX_GLOB_STARS) throw new GlobError(`glob has ${stars} \`*\` (limit ${MAX_GLOB_STARS})`, 1);
  return { source, tokens };
}

function one(t: Tok, ch: string): boolean {
  switch (t.k) {
    case "lit":
      return t.c === ch;
    case "one":
      return true;
    case "class": {
      const cp = ch.codePointAt(0)!;
      const inSet = t.set.some(([a, b]) => cp >= a && cp <= b);
      return inSet !== t.neg;
    }
    default:
      return false;
  }
}

/** Whether the whole `text` matches. Iterative; remembers only the last `*` (no exponential backtracking). */
export function globMatch(g: Glob, text: string): boolean {
  const p = g.tokens;
  const s = [...text];
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (j < p.length && p[j].k !== "star" && one(p[j], s[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j].k === "star") {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j].k === "star") j++;
  return j === p.length;
}

/** Whether a glob has any wildcard at all. */
export function isLiteral(g: Glob): boolean {
  return g.tokens.every((t) => t.k === "lit");
}

export function literalText(g: Glob): string {
  return g.tokens.map((t) => (t.k === "lit" ? t.c : "")).join("");
}
