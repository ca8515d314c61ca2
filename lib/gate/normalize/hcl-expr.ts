/**
 * A small evaluator for the Terraform expressions the HCL reader meets (the strings `@cdktf/hcl2json` leaves
 * as `${…}` templates).
 *
 * Understood: literals (numbers, strings, `true`/`false`/`null`), string templates with interpolations,
 * references (resolved through a {@link Scope}: variables, locals, resources, data sources, module outputs,
 * `count`/`each`, `for` and `dynamic` iterators), indexing (`x[0]`, `x["k"]`, legacy `x.0`), splats (`x[*].a`,
 * `x.*.a`), tuples, objects, arithmetic / comparison / logical operators, conditionals, `for` expressions and a
 * list of pure built-in functions ({@link FUNCTIONS}). Anything else — template directives (`%{if}`), heredocs
 * inside an expression, provider functions, functions not in the list, impure functions (`timestamp`, `uuid`,
 * `file`), type errors — evaluates to {@link Unknown}: never a guess. An unknown value carries the keys of the
 * resources it came from (for `refs`). Errors are not told apart from unknowns, so `try(a, b)` is `a` when `a` is
 * known and unknown otherwise (never `b`: the reader cannot prove that `a` fails in Terraform), and `can()` is
 * unknown. Variable `type` constraints (conversions, `optional()` defaults) are not applied.
 */

/** A value known only after apply (or one the gate does not understand). */
export class Unknown {
  constructor(readonly refs: ReadonlySet<string> = NO_REFS) {}
}
const NO_REFS: ReadonlySet<string> = new Set();
export const UNKNOWN = new Unknown();

/**
 * One instance of a resource, as a value: attributes set in configuration evaluate to their values, any other
 * attribute (ids and other computed attributes) is unknown and refers to this instance.
 */
export class InstanceValue {
  constructor(
    readonly key: string,
    /** Evaluated configuration attributes (lazily). */
    readonly attrs: () => Record<string, Value>,
  ) {}
}

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value } | Unknown | InstanceValue;

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function unknownOf(...vs: unknown[]): Unknown {
  let refs: Set<string> | undefined;
  for (const v of vs) {
    if (v instanceof Unknown && v.refs.size) {
      refs ??= new Set();
      for (const r of v.refs) refs.add(r);
    } else if (v instanceof InstanceValue) {
      refs ??= new Set();
      refs.add(v.key);
    }
  }
  return refs ? new Unknown(refs) : UNKNOWN;
}

function isObj(v: unknown): v is { [k: string]: Value } {
  return !!v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof InstanceValue);
}

/** True when an unknown value is anywhere inside v. */
export function hasUnknown(v: Value, depth = 0): boolean {
  if (v instanceof Unknown || v instanceof InstanceValue) return true;
  if (depth > 64) return true;
  if (Array.isArray(v)) return v.some((x) => hasUnknown(x, depth + 1));
  if (isObj(v)) return Object.values(v).some((x) => hasUnknown(x, depth + 1));
  return false;
}

/** Every unknown inside v (for their refs). */
function unknownDeep(v: Value, out: Value[] = [], depth = 0): Value[] {
  if (v instanceof Unknown || v instanceof InstanceValue) out.push(v);
  else if (depth < 64 && Array.isArray(v)) v.forEach((x) => unknownDeep(x, out, depth + 1));
  else if (depth < 64 && isObj(v)) Object.values(v).forEach((x) => unknownDeep(x, out, depth + 1));
  return out;
}

// ------------------------------------------------------------------------------------------------ AST

export type Step = { kind: "attr"; name: string } | { kind: "index"; key: Node } | { kind: "splat" };

export type Node =
  | { t: "lit"; v: Value }
  | { t: "tmpl"; parts: (string | Node)[] }
  | { t: "unknown"; why: string }
  | { t: "trav"; root: string; steps: Step[] }
  | { t: "post"; base: Node; steps: Step[] }
  | { t: "call"; name: string; args: Node[]; expand: boolean }
  | { t: "tuple"; items: Node[] }
  | { t: "object"; items: [Node, Node][] }
  | { t: "bin"; op: string; l: Node; r: Node }
  | { t: "un"; op: string; x: Node }
  | { t: "cond"; c: Node; a: Node; b: Node }
  | {
      t: "for";
      obj: boolean;
      k?: string;
      v: string;
      coll: Node;
      key?: Node;
      val: Node;
      cond?: Node;
      group: boolean;
    };

class ParseError extends Error {}

const MAX_DEPTH = 200;

interface Tok {
  k: "id" | "num" | "str" | "op" | "heredoc" | "eof";
  v: string;
  /** For strings: the template parts. */
  parts?: (string | Node)[];
}

/** Parse a template string (hcl2json output or a quoted string inside an expression). */
export function parseTemplate(s: string, depth = 0): Node {
  if (depth > MAX_DEPTH) throw new ParseError("nested too deeply");
  const parts: (string | Node)[] = [];
  let lit = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") {
      lit += `${c}{`;
      i += 3;
      continue;
    }
    if (c === "%" && s[i + 1] === "{") {
      return { t: "unknown", why: "template directive" };
    }
    if (c === "$" && s[i + 1] === "{") {
      const end = matchBrace(s, i + 2);
      if (end < 0) throw new ParseError("unterminated ${");
      if (lit) parts.push(lit);
      lit = "";
      let inner = s.slice(i + 2, end);
      inner = inner.replace(/^~/, "").replace(/~$/, "");
      parts.push(parseExpression(inner, depth + 1));
      i = end + 1;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit || parts.length === 0) parts.push(lit);
  if (parts.length === 1 && typeof parts[0] === "string") return { t: "lit", v: parts[0] };
  return { t: "tmpl", parts };
}

/** Index of the `}` closing a `${` whose body starts at `from` (strings and nested braces skipped). */
function matchBrace(s: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

/** Index after the closing quote of a string starting at s[i] === '"' (interpolations inside skipped). */
function skipString(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const c = s[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if (c === "$" && s[i + 1] === "{") {
      const end = matchBrace(s, i + 2);
      if (end < 0) return s.length;
      i = end + 1;
      continue;
    }
    i++;
  }
  return s.length;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function unescapeString(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = raw[++i];
    if (n in ESCAPES) out += ESCAPES[n];
    else if (n === "u" && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (n === "U" && /^[0-9a-fA-F]{8}$/.test(raw.slice(i + 1, i + 9))) {
      const cp = parseInt(raw.slice(i + 1, i + 9), 16);
      if (cp > 0x10ffff) throw new ParseError("bad escape");
      out += String.fromCodePoint(cp);
      i += 8;
    } else throw new ParseError(`bad escape \\${n ?? ""}`);
  }
  return out;
}

const OPS = ["&&", "||", "==", "!=", "<=", ">=", "=>", "...", "?", ":", "<", ">", "+", "-", "*", "/", "%", "!"];
const PUNCT = new Set(["(", ")", "[", "]", "{", "}", ",", ".", "="]);

function tokenize(s: string, depth: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && s[i + 1] === "/")) {
      while (i < s.length && s[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && s[i + 1] === "*") {
      const e = s.indexOf("*/", i + 2);
      i = e < 0 ? s.length : e + 2;
      continue;
    }
    if (c === "<" && s[i + 1] === "<") {
      toks.push({ k: "heredoc", v: "<<" });
      return [...toks, { k: "eof", v: "" }];
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(i, i + 400));
      toks.push({ k: "num", v: m![0] });
      i += m![0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < s.length && /[A-Za-z0-9_-]/.test(s[j])) j++;
      // provider functions: provider::name::fn
      while (s.startsWith("::", j)) {
        j += 2;
        while (j < s.length && /[A-Za-z0-9_-]/.test(s[j])) j++;
      }
      toks.push({ k: "id", v: s.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"') {
      const end = skipString(s, i);
      const raw = s.slice(i + 1, end - 1);
      // Escapes are resolved per literal part; interpolations are parsed as templates.
      const node = parseTemplateEscaped(raw, depth + 1);
      toks.push({ k: "str", v: raw, parts: node.t === "tmpl" ? node.parts : undefined, ...{ node } } as Tok);
      i = end;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op) {
      toks.push({ k: "op", v: op });
      i += op.length;
      continue;
    }
    if (PUNCT.has(c)) {
      toks.push({ k: "op", v: c });
      i++;
      continue;
    }
    throw new ParseError(`unexpected character ${JSON.stringify(c)}`);
  }
  toks.push({ k: "eof", v: "" });
  return toks;
}

/** A quoted string inside an expression: escapes apply to literal parts only. */
function parseTemplateEscaped(raw: string, depth: number): Node {
  const node = parseTemplate(raw, depth);
  if (node.t === "lit") return { t: "lit", v: unescapeString(String(node.v)) };
  if (node.t === "tmpl")
    return { t: "tmpl", parts: node.parts.map((p) => (typeof p === "string" ? unescapeString(p) : p)) };
  return node;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly depth: number,
  ) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private next(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)];
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.k === "op" && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.k !== "op" || t.v !== v) throw new ParseError(`expected ${v}`);
  }
  private enter(d: number): void {
    if (this.depth + d > MAX_DEPTH) throw new ParseError("nested too deeply");
  }

  parseAll(): Node {
    const n = this.expr(0);
    if (this.peek().k !== "eof") throw new ParseError(`unexpected ${this.peek().v}`);
    return n;
  }

  expr(d: number): Node {
    this.enter(d);
    const c = this.binary(0, d + 1);
    if (this.isOp("?")) {
      this.next();
      const a = this.expr(d + 1);
      this.expect(":");
      const b = this.expr(d + 1);
      return { t: "cond", c, a, b };
    }
    return c;
  }

  private static readonly PREC: Record<string, number> = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
  };

  private binary(min: number, d: number): Node {
    this.enter(d);
    let l = this.unary(d + 1);
    for (;;) {
      const t = this.peek();
      const p = t.k === "op" ? Parser.PREC[t.v] : undefined;
      if (p === undefined || p <= min) return l;
      this.next();
      const r = this.binary(p, d + 1);
      l = { t: "bin", op: t.v, l, r };
    }
  }

  private unary(d: number): Node {
    this.enter(d);
    if (this.isOp("!") || this.isOp("-")) {
      const op = this.next().v;
      return { t: "un", op, x: this.unary(d + 1) };
    }
    return this.postfix(this.primary(d + 1), d + 1);
  }

  private steps(d: number): Step[] {
    const steps: Step[] = [];
    for (;;) {
      if (this.isOp(".")) {
        const t = this.peek(1);
        if (t.k === "id") {
          this.i += 2;
          steps.push({ kind: "attr", name: t.v });
        } else if (t.k === "num" && /^[0-9]+$/.test(t.v)) {
          this.i += 2;
          steps.push({ kind: "index", key: { t: "lit", v: Number(t.v) } });
        } else if (t.k === "op" && t.v === "*") {
          this.i += 2;
          steps.push({ kind: "splat" });
        } else throw new ParseError("bad attribute access");
      } else if (this.isOp("[")) {
        if (this.isOp("*", 1) && this.isOp("]", 2)) {
          this.i += 3;
          steps.push({ kind: "splat" });
        } else {
          this.next();
          const key = this.expr(d + 1);
          this.expect("]");
          steps.push({ kind: "index", key });
        }
      } else return steps;
    }
  }

  private postfix(base: Node, d: number): Node {
    const steps = this.steps(d);
    if (!steps.length) return base;
    if (base.t === "trav") return { t: "trav", root: base.root, steps: [...base.steps, ...steps] };
    return { t: "post", base, steps };
  }

  private primary(d: number): Node {
    this.enter(d);
    const t = this.next();
    switch (t.k) {
      case "num": {
        const n = Number(t.v);
        if (!Number.isFinite(n)) throw new ParseError(`number ${t.v} is out of range`);
        return { t: "lit", v: n };
      }
      case "str":
        return (t as Tok & { node: Node }).node;
      case "heredoc":
        return { t: "unknown", why: "heredoc inside an expression" };
      case "id": {
        if (t.v === "true") return { t: "lit", v: true };
        if (t.v === "false") return { t: "lit", v: false };
        if (t.v === "null") return { t: "lit", v: null };
        if (this.isOp("(")) {
          this.next();
          const args: Node[] = [];
          let expand = false;
          while (!this.isOp(")")) {
            args.push(this.expr(d + 1));
            if (this.isOp("...")) {
              this.next();
              expand = true;
            }
            if (this.isOp(",")) this.next();
            else break;
          }
          this.expect(")");
          return { t: "call", name: t.v, args, expand };
        }
        return { t: "trav", root: t.v, steps: [] };
      }
      case "op":
        if (t.v === "(") {
          const e = this.expr(d + 1);
          this.expect(")");
          return e;
        }
        if (t.v === "[") return this.tuple(d + 1);
        if (t.v === "{") return this.object(d + 1);
        throw new ParseError(`unexpected ${t.v}`);
      default:
        throw new ParseError("unexpected end of expression");
    }
  }

  private forHead(): { k?: string; v: string; coll: Node } {
    const a = this.next();
    if (a.k !== "id") throw new ParseError("bad for");
    let k: string | undefined;
    let v = a.v;
    if (this.isOp(",")) {
      this.next();
      const b = this.next();
      if (b.k !== "id") throw new ParseError("bad for");
      k = a.v;
      v = b.v;
    }
    const kw = this.next();
    if (kw.k !== "id" || kw.v !== "in") throw new ParseError("bad for");
    const coll = this.expr(this.depth + 1);
    this.expect(":");
    return { k, v, coll };
  }

  private tuple(d: number): Node {
    if (this.peek().k === "id" && this.peek().v === "for" && !this.isOp("=", 1) && !this.isOp(",", 1)) {
      this.next();
      const h = this.forHead();
      const val = this.expr(d + 1);
      let cond: Node | undefined;
      if (this.peek().k === "id" && this.peek().v === "if") {
        this.next();
        cond = this.expr(d + 1);
      }
      this.expect("]");
      return { t: "for", obj: false, ...h, val, cond, group: false };
    }
    const items: Node[] = [];
    while (!this.isOp("]")) {
      items.push(this.expr(d + 1));
      if (this.isOp(",")) this.next();
      else break;
    }
    this.expect("]");
    return { t: "tuple", items };
  }

  private object(d: number): Node {
    if (this.peek().k === "id" && this.peek().v === "for" && !this.isOp("=", 1) && !this.isOp(":", 1)) {
      this.next();
      const h = this.forHead();
      const key = this.expr(d + 1);
      this.expect("=>");
      const val = this.expr(d + 1);
      let group = false;
      if (this.isOp("...")) {
        this.next();
        group = true;
      }
      let cond: Node | undefined;
      if (this.peek().k === "id" && this.peek().v === "if") {
        this.next();
        cond = this.expr(d + 1);
      }
      this.expect("}");
      return { t: "for", obj: true, ...h, key, val, cond, group };
    }
    const items: [Node, Node][] = [];
    while (!this.isOp("}")) {
      let key: Node;
      const t = this.peek();
      // A bare identifier key is a literal name (not a reference), unless parenthesized.
      if (t.k === "id" && (this.isOp("=", 1) || this.isOp(":", 1))) {
        this.next();
        key = { t: "lit", v: t.v };
      } else key = this.expr(d + 1);
      if (this.isOp("=") || this.isOp(":")) this.next();
      else throw new ParseError("expected = in object");
      const val = this.expr(d + 1);
      items.push([key, val]);
      if (this.isOp(",")) this.next();
    }
    this.expect("}");
    return { t: "object", items };
  }
}

const parseCache = new Map<string, Node>();

/** Parse an expression (the body of a `${…}`); a syntax the parser does not know becomes an unknown node. */
export function parseExpression(s: string, depth = 0): Node {
  try {
    return new Parser(tokenize(s, depth), depth).parseAll();
  } catch (e) {
    if (e instanceof ParseError) return { t: "unknown", why: e.message };
    if (e instanceof RangeError) return { t: "unknown", why: "nested too deeply" };
    throw e;
  }
}

/** Parse a string value from hcl2json (a template); cached, as the same strings recur across resources. */
export function parseValueString(s: string): Node {
  let n = parseCache.get(s);
  if (!n) {
    try {
      n = parseTemplate(s);
    } catch (e) {
      if (!(e instanceof ParseError) && !(e instanceof RangeError)) throw e;
      n = { t: "unknown", why: (e as Error).message };
    }
    if (parseCache.size > 200_000) parseCache.clear();
    parseCache.set(s, n);
  }
  return n;
}

/** True when a hcl2json string holds an expression or template directive (not a plain literal). */
export function isTemplate(s: string): boolean {
  return s.includes("${") || s.includes("%{");
}

// ------------------------------------------------------------------------------------------------ evaluation

export type ResolvedStep = { kind: "attr"; name: string } | { kind: "index"; key: Value } | { kind: "splat" };

/** What references resolve against. */
export interface Scope {
  /** Resolve a traversal root and as many steps as it needs; returns the value and the steps it consumed. */
  resolve(root: string, steps: readonly ResolvedStep[], ctx: EvalContext): { value: Value; used: number };
}

export interface EvalContext {
  readonly scope: Scope;
  /** Resource keys referenced by the expression being evaluated. */
  readonly refs: Set<string>;
  /** for/dynamic iterators. */
  readonly iters?: ReadonlyMap<string, Value>;
  /** Guard against runaway evaluation (huge ranges, deep recursion). */
  budget: { n: number };
}

class EvalLimit extends Error {}

function spend(ctx: EvalContext, n = 1): void {
  ctx.budget.n -= n;
  if (ctx.budget.n < 0) throw new EvalLimit("evaluation budget exhausted");
}

/** Evaluate an AST node; never throws for user input (errors → unknown). */
export function evaluate(node: Node, ctx: EvalContext): Value {
  try {
    return ev(node, ctx, 0);
  } catch (e) {
    if (e instanceof EvalLimit || e instanceof RangeError) return UNKNOWN;
    throw e;
  }
}

function ev(n: Node, ctx: EvalContext, d: number): Value {
  spend(ctx);
  if (d > MAX_DEPTH) throw new EvalLimit("deep");
  switch (n.t) {
    case "lit":
      return n.v;
    case "unknown":
      return UNKNOWN;
    case "tmpl": {
      if (n.parts.length === 1 && typeof n.parts[0] !== "string") return ev(n.parts[0], ctx, d + 1);
      let s = "";
      const unknowns: Value[] = [];
      for (const p of n.parts) {
        if (typeof p === "string") {
          s += p;
          continue;
        }
        const v = ev(p, ctx, d + 1);
        const str = toStr(v);
        if (str === undefined) unknowns.push(v);
        else s += str;
      }
      return unknowns.length ? unknownOf(...unknowns) : s;
    }
    case "trav":
      return traverse(n.root, n.steps, ctx, d);
    case "post": {
      const base = ev(n.base, ctx, d + 1);
      return applySteps(
        base,
        n.steps.map((s) => resolveStep(s, ctx, d)),
        ctx,
      );
    }
    case "tuple":
      return n.items.map((x) => ev(x, ctx, d + 1));
    case "object": {
      const o: Record<string, Value> = {};
      const unknowns: Value[] = [];
      for (const [kn, vn] of n.items) {
        const k = ev(kn, ctx, d + 1);
        const ks = toStr(k);
        if (ks === undefined) {
          unknowns.push(k);
          continue;
        }
        o[ks] = ev(vn, ctx, d + 1);
      }
      return unknowns.length ? unknownOf(...unknowns) : o;
    }
    case "un": {
      const x = ev(n.x, ctx, d + 1);
      if (isUnknown(x) || x instanceof InstanceValue) return unknownOf(x);
      if (n.op === "!") return typeof x === "boolean" ? !x : UNKNOWN;
      const num = toNum(x);
      return num === undefined ? UNKNOWN : -num;
    }
    case "bin":
      return binary(n.op, ev(n.l, ctx, d + 1), () => ev(n.r, ctx, d + 1));
    case "cond": {
      const c = ev(n.c, ctx, d + 1);
      const b = toBool(c);
      if (b === undefined) {
        // Both branches still contribute their references.
        return unknownOf(c, ...unknownDeep(ev(n.a, ctx, d + 1)), ...unknownDeep(ev(n.b, ctx, d + 1)));
      }
      return b ? ev(n.a, ctx, d + 1) : ev(n.b, ctx, d + 1);
    }
    case "call":
      return call(n, ctx, d);
    case "for":
      return forExpr(n, ctx, d);
  }
}

function resolveStep(s: Step, ctx: EvalContext, d: number): ResolvedStep {
  return s.kind === "index" ? { kind: "index", key: ev(s.key, ctx, d + 1) } : s;
}

function traverse(root: string, steps: Step[], ctx: EvalContext, d: number): Value {
  const resolved = steps.map((s) => resolveStep(s, ctx, d));
  const it = ctx.iters?.get(root);
  if (it !== undefined) return applySteps(it, resolved, ctx);
  const { value, used } = ctx.scope.resolve(root, resolved, ctx);
  return applySteps(value, resolved.slice(used), ctx);
}

/** Apply attribute / index / splat steps to a value (errors → unknown). */
export function applySteps(v: Value, steps: readonly ResolvedStep[], ctx: EvalContext): Value {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (isUnknown(v)) return v;
    if (s.kind === "splat") {
      const rest = steps.slice(i + 1);
      if (v === null) return [];
      const list = Array.isArray(v) ? v : [v];
      return list.map((x) => applySteps(x, rest, ctx));
    }
    if (v instanceof InstanceValue) {
      ctx.refs.add(v.key);
      if (s.kind !== "attr") return unknownOf(v);
      const attrs = v.attrs();
      v = s.name in attrs && attrs[s.name] !== undefined ? attrs[s.name] : new Unknown(new Set([v.key]));
      continue;
    }
    if (s.kind === "attr") {
      if (isObj(v) && s.name in v) v = v[s.name];
      else return UNKNOWN;
      continue;
    }
    const k = s.key;
    if (isUnknown(k)) return unknownOf(k, ...unknownDeep(v));
    if (Array.isArray(v)) {
      const idx = toNum(k);
      if (idx === undefined || !Number.isInteger(idx) || idx < 0 || idx >= v.length) return UNKNOWN;
      v = v[idx];
    } else if (isObj(v)) {
      const ks = toStr(k);
      if (ks === undefined || !(ks in v)) return UNKNOWN;
      v = v[ks];
    } else return UNKNOWN;
  }
  return v;
}

/** Terraform's string conversion; undefined when the value cannot be a string (unknown, null, collections). */
export function toStr(v: Value): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numStr(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

function numStr(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

function toNum(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v.trim())) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toBool(v: Value): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** Structural equality of known values. */
function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

function binary(op: string, l: Value, rf: () => Value): Value {
  if (op === "&&" || op === "||") {
    const lb = toBool(l);
    if (lb === false && op === "&&") return false;
    if (lb === true && op === "||") return true;
    const r = rf();
    const rb = toBool(r);
    if (lb === undefined || rb === undefined) return unknownOf(l, r);
    return op === "&&" ? lb && rb : lb || rb;
  }
  const r = rf();
  if (hasUnknown(l) || hasUnknown(r)) return unknownOf(...unknownDeep(l), ...unknownDeep(r));
  if (op === "==") return equal(l, r);
  if (op === "!=") return !equal(l, r);
  const a = toNum(l);
  const b = toNum(r);
  if (a === undefined || b === undefined) return UNKNOWN;
  switch (op) {
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "+":
      return finite(a + b);
    case "-":
      return finite(a - b);
    case "*":
      return finite(a * b);
    case "/":
      return b === 0 ? UNKNOWN : finite(a / b);
    case "%":
      return b === 0 ? UNKNOWN : finite(a % b);
  }
  return UNKNOWN;
}

function finite(n: number): Value {
  return Number.isFinite(n) ? n : UNKNOWN;
}

function entries(coll: Value): [Value, Value][] | undefined {
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObj(coll))
    return Object.keys(coll)
      .sort()
      .map((k) => [k, coll[k]]);
  return undefined;
}

function forExpr(n: Extract<Node, { t: "for" }>, ctx: EvalContext, d: number): Value {
  const coll = ev(n.coll, ctx, d + 1);
  if (isUnknown(coll) || coll instanceof InstanceValue) return unknownOf(coll);
  const es = entries(coll);
  if (!es) return UNKNOWN;
  spend(ctx, es.length);
  const out: Value[] = [];
  const obj: Record<string, Value> = {};
  const groups: Record<string, Value[]> = {};
  for (const [k, v] of es) {
    const iters = new Map(ctx.iters ?? []);
    if (n.k) iters.set(n.k, k);
    iters.set(n.v, v);
    const sub: EvalContext = { ...ctx, iters };
    if (n.cond) {
      const c = toBool(ev(n.cond, sub, d + 1));
      if (c === undefined) return UNKNOWN;
      if (!c) continue;
    }
    if (!n.obj) {
      out.push(ev(n.val, sub, d + 1));
      continue;
    }
    const key = toStr(ev(n.key!, sub, d + 1));
    if (key === undefined) return UNKNOWN;
    const val = ev(n.val, sub, d + 1);
    if (n.group) (groups[key] ??= []).push(val);
    else {
      if (key in obj) return UNKNOWN; // duplicate key: a Terraform error
      obj[key] = val;
    }
  }
  if (!n.obj) return out;
  return n.group ? groups : obj;
}

// ------------------------------------------------------------------------------------------------ functions

type Fn = (args: Value[]) => Value;

const str = (v: Value): string => {
  const s = toStr(v);
  if (s === undefined) throw new TypeError("not a string");
  return s;
};
const num = (v: Value): number => {
  const n = toNum(v);
  if (n === undefined) throw new TypeError("not a number");
  return n;
};
const list = (v: Value): Value[] => {
  if (Array.isArray(v)) return v;
  throw new TypeError("not a list");
};
const obj = (v: Value): Record<string, Value> => {
  if (isObj(v)) return v;
  throw new TypeError("not an object");
};

const MAX_COLL = 100_000;

/** Go's encoding/json (what Terraform's jsonencode uses) escapes <, >, & and U+2028/2029. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function jsonEncode(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "boolean") return JSON.stringify(v);
  if (typeof v === "number") return numStr(v);
  if (Array.isArray(v)) return `[${v.map(jsonEncode).join(",")}]`;
  const o = obj(v);
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${goJsonString(k)}:${jsonEncode(o[k])}`)
    .join(",")}}`;
}

function fromJson(x: unknown): Value {
  if (x === null || typeof x === "string" || typeof x === "boolean") return x;
  if (typeof x === "number") return Number.isFinite(x) ? x : UNKNOWN;
  if (Array.isArray(x)) return x.map(fromJson);
  const o: Record<string, Value> = {};
  for (const [k, v] of Object.entries(x as object)) o[k] = fromJson(v);
  return o;
}

function format(fmt: string, args: Value[]): string {
  let ai = 0;
  return fmt.replace(/%(%|[-+ #0]*[0-9]*(?:\.[0-9]+)?[sdvtfq])/g, (_m, spec: string) => {
    if (spec === "%") return "%";
    const verb = spec[spec.length - 1];
    if (spec.length > 1 && verb !== "d" && verb !== "s") throw new TypeError("format flags");
    const a = args[ai++];
    if (a === undefined) throw new TypeError("too few args");
    let out: string;
    if (verb === "s" || verb === "v") out = str(a);
    else if (verb === "d") {
      const n = num(a);
      if (!Number.isInteger(n)) throw new TypeError("not an integer");
      out = numStr(n);
    } else if (verb === "t") {
      if (typeof a !== "boolean") throw new TypeError("not a bool");
      out = String(a);
    } else if (verb === "q") out = JSON.stringify(str(a));
    else out = String(num(a));
    const w = /([0-9]+)/.exec(spec.replace(/\..*/, ""));
    const width = w ? Number(w[1]) : 0;
    if (width > 1000) throw new TypeError("width");
    if (width > out.length)
      out = spec.includes("-") ? out.padEnd(width) : out.padStart(width, spec.startsWith("0") ? "0" : " ");
    return out;
  });
}

/**
 * Functions that only move values around (never read an element's value): unknown elements (e.g. a resource's
 * id) stay unknown inside the result instead of making all of it unknown — `length(azurerm_x.a)` is known.
 */
const STRUCTURAL = new Set([
  "length",
  "keys",
  "values",
  "concat",
  "merge",
  "tolist",
  "tomap",
  "element",
  "lookup",
  "slice",
  "reverse",
  "zipmap",
  "one",
  "sensitive",
  "nonsensitive",
]);

/** `a.b.c.d/n` → [address as a 32-bit number, prefix length] (IPv4 only; anything else throws). */
function parseCidr4(s: string): [number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) throw new TypeError("not an IPv4 CIDR");
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new TypeError("not an IPv4 CIDR");
  return [octets.reduce((a, o) => a * 256 + o, 0), bits];
}

function ip4(n: number): string {
  return [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join(".");
}

/** Pure built-in functions; any other function is unknown. */
export const FUNCTIONS: Record<string, Fn> = {
  cidrsubnet: ([prefix, newbits, netnum]) => {
    const [addr, bits] = parseCidr4(str(prefix));
    const nb = num(newbits);
    const nn = num(netnum);
    const len = bits + nb;
    if (!Number.isInteger(nb) || !Number.isInteger(nn) || nb < 0 || len > 32 || nn < 0 || nn >= 2 ** nb) {
      throw new TypeError("cidrsubnet out of range");
    }
    const base = addr - (addr % 2 ** (32 - bits));
    return `${ip4(base + nn * 2 ** (32 - len))}/${len}`;
  },
  cidrhost: ([prefix, hostnum]) => {
    const [addr, bits] = parseCidr4(str(prefix));
    const size = 2 ** (32 - bits);
    let h = num(hostnum);
    if (!Number.isInteger(h) || Math.abs(h) >= size + (h < 0 ? 1 : 0)) throw new TypeError("cidrhost out of range");
    if (h < 0) h = size + h;
    return ip4(addr - (addr % size) + h);
  },
  sensitive: ([v]) => v,
  nonsensitive: ([v]) => v,
  lower: ([s]) => str(s).toLowerCase(),
  upper: ([s]) => str(s).toUpperCase(),
  title: ([s]) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s).trim(),
  trimprefix: ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimsuffix: ([s, p]) => (str(s).endsWith(str(p)) && str(p) ? str(s).slice(0, -str(p).length) : str(s)),
  startswith: ([s, p]) => str(s).startsWith(str(p)),
  endswith: ([s, p]) => str(s).endsWith(str(p)),
  strcontains: ([s, p]) => str(s).includes(str(p)),
  substr: ([s, o, l]) => {
    const chars = [...str(s)];
    let off = num(o);
    if (off < 0) off = chars.length + off;
    const len = num(l);
    return chars.slice(off, len < 0 ? undefined : off + len).join("");
  },
  format: ([f, ...rest]) => format(str(f), rest),
  join: ([sep, ...lists]) =>
    lists
      .flatMap(list)
      .map((x) => str(x))
      .join(str(sep)),
  split: ([sep, s]) => str(s).split(str(sep)),
  replace: ([s, a, b]) => {
    const from = str(a);
    if (from.length > 1 && from.startsWith("/") && from.endsWith("/")) throw new TypeError("regex replace");
    return str(s).split(from).join(str(b));
  },
  tostring: ([v]) => (v === null ? null : str(v)),
  tonumber: ([v]) => (v === null ? null : num(v)),
  tobool: ([v]) => {
    if (v === null) return null;
    const b = toBool(v);
    if (b === undefined) throw new TypeError("not a bool");
    return b;
  },
  tolist: ([v]) => list(v),
  toset: ([v]) => {
    const out: Value[] = [];
    for (const x of list(v)) if (!out.some((y) => equal(x, y))) out.push(x);
    return out;
  },
  tomap: ([v]) => obj(v),
  length: ([v]) => (typeof v === "string" ? [...v].length : Array.isArray(v) ? v.length : Object.keys(obj(v)).length),
  concat: (ls) => ls.flatMap(list),
  merge: (os) => Object.assign({}, ...os.filter((o) => o !== null).map(obj)),
  lookup: ([m, k, dflt]) => {
    const o = obj(m);
    const ks = str(k);
    if (ks in o) return o[ks];
    if (dflt === undefined) throw new TypeError("no key");
    return dflt;
  },
  contains: ([l, v]) => list(l).some((x) => equal(x, v)),
  element: ([l, i]) => {
    const a = list(l);
    if (!a.length) throw new TypeError("empty");
    return a[((num(i) % a.length) + a.length) % a.length];
  },
  index: ([l, v]) => {
    const i = list(l).findIndex((x) => equal(x, v));
    if (i < 0) throw new TypeError("not found");
    return i;
  },
  keys: ([m]) => Object.keys(obj(m)).sort(),
  values: ([m]) =>
    Object.keys(obj(m))
      .sort()
      .map((k) => obj(m)[k]),
  coalesce: (vs) => {
    for (const v of vs) if (v !== null && v !== "") return v;
    throw new TypeError("no value");
  },
  coalescelist: (vs) => {
    for (const v of vs) if (list(v).length) return v;
    throw new TypeError("no value");
  },
  compact: ([l]) => list(l).filter((x) => x !== null && x !== ""),
  distinct: ([l]) => FUNCTIONS.toset([l]),
  flatten: ([l]) => {
    const out: Value[] = [];
    const rec = (x: Value): void => {
      if (Array.isArray(x)) x.forEach(rec);
      else out.push(x);
    };
    rec(list(l));
    return out;
  },
  reverse: ([l]) => [...list(l)].reverse(),
  sort: ([l]) => list(l).map(str).sort(),
  slice: ([l, a, b]) => list(l).slice(num(a), num(b)),
  zipmap: ([ks, vs]) => {
    const o: Record<string, Value> = {};
    list(ks).forEach((k, i) => (o[str(k)] = list(vs)[i]));
    return o;
  },
  range: (args) => {
    const [a, b, s] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), num(args[2] ?? 1)];
    if (s === 0 || Math.abs((b - a) / s) > MAX_COLL) throw new TypeError("range");
    const out: number[] = [];
    for (let x = a; s > 0 ? x < b : x > b; x += s) out.push(x);
    return out;
  },
  min: (ns) => Math.min(...ns.map(num)),
  max: (ns) => Math.max(...ns.map(num)),
  abs: ([n]) => Math.abs(num(n)),
  ceil: ([n]) => Math.ceil(num(n)),
  floor: ([n]) => Math.floor(num(n)),
  jsonencode: ([v]) => jsonEncode(v),
  jsondecode: ([s]) => fromJson(JSON.parse(str(s))),
  one: ([l]) => {
    const a = list(l);
    if (a.length > 1) throw new TypeError("more than one");
    return a.length ? a[0] : null;
  },
  alltrue: ([l]) => list(l).every((x) => toBool(x) === true),
  anytrue: ([l]) => list(l).some((x) => toBool(x) === true),
  sum: ([l]) => list(l).reduce<number>((a, x) => a + num(x), 0),
  setunion: (ls) => FUNCTIONS.toset([ls.flatMap(list)]),
};

function call(n: Extract<Node, { t: "call" }>, ctx: EvalContext, d: number): Value {
  const args = n.args.map((a) => ev(a, ctx, d + 1));
  // try(): the first argument that evaluates to a known value (unknown arguments keep it unknown).
  if (n.name === "try") {
    for (const a of args) {
      if (hasUnknown(a)) return unknownOf(...unknownDeep(a));
      return a;
    }
    return UNKNOWN;
  }
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, n.name) ? FUNCTIONS[n.name] : undefined;
  // Structural functions keep unknown elements inside their result; every other function needs known values.
  const unknowns = STRUCTURAL.has(n.name)
    ? args.filter((a) => a instanceof Unknown || a instanceof InstanceValue)
    : args.flatMap((a) => unknownDeep(a));
  if (!fn || unknowns.length) return unknownOf(...unknowns, ...args.flatMap((a) => unknownDeep(a)));
  let real = args;
  if (n.expand) {
    const last = args[args.length - 1];
    if (!Array.isArray(last)) return UNKNOWN;
    real = [...args.slice(0, -1), ...last];
  }
  spend(ctx, 10);
  try {
    const out = fn(real);
    if (typeof out === "string" && out.length > 10_000_000) return UNKNOWN;
    if (typeof out === "number" && !Number.isFinite(out)) return UNKNOWN;
    return out;
  } catch (e) {
    if (e instanceof TypeError || e instanceof SyntaxError || e instanceof RangeError) return UNKNOWN;
    throw e;
  }
}
