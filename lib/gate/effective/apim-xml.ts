/**
 * API Management policy XML read as XML (fast-xml-parser), not searched as text: comments are dropped by the
 * parser, attribute values and header names are not elements, and each control counts only in its section
 * (design.md "Semantics over strings").
 *
 *  - validate-jwt: a `validate-jwt` (or `validate-azure-ad-token`) element that is a direct child of `<inbound>`
 *    (not inside `<choose>`, so not conditional) with at least one non-empty `<audiences><audience>`;
 *  - rate limiting: a `rate-limit-by-key` direct child of `<inbound>` with a positive `calls`;
 *  - PAN masking: in `<outbound>` (directly or inside `choose/when|otherwise`), a `set-body` (or the `to` of a
 *    `find-and-replace`) whose policy expression reads the response body and rewrites it with a regular
 *    expression that matches card numbers — judged by running the expression's string literals, as
 *    ECMAScript regexes, against sample PANs (lib/gateway/pan.ts writes such a pattern);
 *  - request validation (the platform's API-policy standard, ZG-GW-001): a `validate-content` direct child of
 *    `<inbound>` whose unspecified-content-type and size-exceeded actions are `prevent` and whose `<content>`
 *    entries (at least one) all have action `prevent` — `detect` or `ignore` only log;
 *  - request card check: in `<inbound>`, a `set-body` that rewrites the request body with a card-number regex,
 *    or a `choose` whose first `when` tests the request body with a card-number regex (the condition's string
 *    literals run against sample PANs, as for masking) and then rejects (`return-response`) or masks
 *    (`set-body` as above) — a later `when` would be skipped whenever an earlier one matches;
 *  - `<base />`: a direct child of the section (the section inherits its parent scope's policy); `baseFirst`
 *    when it is the section's first element (comments and whitespace aside), so nothing runs before the parent
 *    scopes' policies.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export const SECTIONS = ["inbound", "backend", "outbound", "on-error"] as const;
export type Section = (typeof SECTIONS)[number];
export type Control = "validate-jwt" | "rate-limit-by-key" | "pan-masking" | "validate-content" | "request-card-check";

export interface SectionFacts {
  /** The section element exists in the document. */
  readonly present: boolean;
  /** `<base />` is a direct child: the parent scope's policy runs here. */
  readonly base: boolean;
  /** `<base />` is the first element of the section: the parent scope's policy runs before anything here. */
  readonly baseFirst: boolean;
  readonly controls: readonly Control[];
}

export type PolicyFacts =
  | { readonly ok: true; readonly sections: Readonly<Record<Section, SectionFacts>> }
  | { readonly ok: false; readonly error: string };

/** Which section each control must be in. */
export const CONTROL_SECTION: Readonly<Record<Control, Section>> = {
  "validate-jwt": "inbound",
  "rate-limit-by-key": "inbound",
  "pan-masking": "outbound",
  "validate-content": "inbound",
  "request-card-check": "inbound",
};

/** Card numbers a masking pattern must match: unbroken 16 (Visa) and 15 (Amex) digits, and grouped 16. */
const SAMPLE_PANS = ["4111111111111111", "378282246310005", "4111 1111 1111 1111"];

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  allowBooleanAttributes: true,
});

function tagOf(n: Node): string | undefined {
  return Object.keys(n).find((k) => k !== ":@" && k !== "#text" && !k.startsWith("?"));
}

function children(n: Node): Node[] {
  const t = tagOf(n);
  const c = t === undefined ? undefined : n[t];
  return Array.isArray(c) ? (c as Node[]) : [];
}

function attrs(n: Node): Record<string, string> {
  return (n[":@"] as Record<string, string> | undefined) ?? {};
}

function text(n: Node): string {
  return children(n)
    .map((c) => (typeof c["#text"] === "string" ? c["#text"] : ""))
    .join("");
}

const elements = (n: Node, name: string) => children(n).filter((c) => tagOf(c) === name);

/** String literals of a C# policy expression: verbatim `@"…"` (`""` escapes) and regular `"…"`. */
export function csharpStrings(expr: string): string[] {
  const out: string[] = [];
  const re = /@"((?:[^"]|"")*)"|"((?:[^"\\]|\\.)*)"/g;
  for (const m of expr.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1].replace(/""/g, '"'));
    else out.push(m[2].replace(/\\(.)/g, (_, c: string) => (c === "\\" ? "\\" : c === '"' ? '"' : `\\${c}`)));
  }
  return out;
}

function matchesPans(pattern: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return false;
  }
  return SAMPLE_PANS.every((p) => {
    const m = re.exec(p);
    return m !== null && m[0].replace(/[^0-9]/g, "").length >= 13;
  });
}

type Body = "Response" | "Request";

const bodyOf = (source: Body) => new RegExp(`${source}\\s*\\.\\s*Body`);

/** A policy expression that rewrites the response (or request) body with a card-number regex. */
export function masksPans(expr: string, source: Body = "Response"): boolean {
  const e = expr.trim();
  if (!e.startsWith("@")) return false;
  if (!bodyOf(source).test(e) || !/Regex\s*\.\s*(Replace|Matches|Match)\s*\(/.test(e)) return false;
  return csharpStrings(e).some(matchesPans);
}

/** A policy expression (a condition) that tests the request body with a card-number regex. */
export function detectsRequestPans(expr: string): boolean {
  const e = expr.trim();
  if (!e.startsWith("@")) return false;
  if (!bodyOf("Request").test(e) || !/Regex\s*\.\s*(IsMatch|Matches|Match)\s*\(/.test(e)) return false;
  return csharpStrings(e).some(matchesPans);
}

function outboundMasks(nodes: Node[]): boolean {
  for (const n of nodes) {
    const t = tagOf(n);
    if (t === "set-body" && masksPans(text(n))) return true;
    if (t === "find-and-replace" && masksPans(attrs(n).to ?? "")) return true;
    if (t === "choose") {
      for (const branch of children(n)) {
        const bt = tagOf(branch);
        if ((bt === "when" || bt === "otherwise") && outboundMasks(children(branch))) return true;
      }
    }
  }
  return false;
}

function validatesJwt(n: Node): boolean {
  const t = tagOf(n);
  if (t !== "validate-jwt" && t !== "validate-azure-ad-token") return false;
  return elements(n, "audiences").some((a) => elements(a, "audience").some((x) => text(x).trim() !== ""));
}

function rateLimits(n: Node): boolean {
  if (tagOf(n) !== "rate-limit-by-key") return false;
  const calls = attrs(n).calls ?? "";
  return calls.trim().startsWith("@") || Number(calls) > 0;
}

const eqi = (v: string | undefined, want: string) => (v ?? "").trim().toLowerCase() === want;

/** validate-content that blocks what it cannot validate: every content entry, unknown types and oversize bodies. */
function validatesContent(n: Node): boolean {
  if (tagOf(n) !== "validate-content") return false;
  const a = attrs(n);
  if (!eqi(a["unspecified-content-type-action"], "prevent") || !eqi(a["size-exceeded-action"], "prevent")) return false;
  const contents = elements(n, "content");
  return contents.length > 0 && contents.every((c) => eqi(attrs(c).action, "prevent"));
}

const masksRequest = (n: Node) => tagOf(n) === "set-body" && masksPans(text(n), "Request");

/** The request body is checked for card numbers, unconditionally, and a card is rejected or masked. */
function checksRequestCards(kids: Node[]): boolean {
  return kids.some((n) => {
    if (masksRequest(n)) return true;
    if (tagOf(n) !== "choose") return false;
    const first = children(n).find((b) => tagOf(b) === "when");
    return (
      first !== undefined &&
      detectsRequestPans(attrs(first).condition ?? "") &&
      children(first).some((c) => tagOf(c) === "return-response" || masksRequest(c))
    );
  });
}

function sectionFacts(el: Node | undefined, name: Section): SectionFacts {
  if (!el) return { present: false, base: false, baseFirst: false, controls: [] };
  const kids = children(el).filter((k) => tagOf(k) !== undefined);
  const controls: Control[] = [];
  if (name === "inbound") {
    if (kids.some(validatesJwt)) controls.push("validate-jwt");
    if (kids.some(rateLimits)) controls.push("rate-limit-by-key");
    if (kids.some(validatesContent)) controls.push("validate-content");
    if (checksRequestCards(kids)) controls.push("request-card-check");
  }
  if (name === "outbound" && outboundMasks(kids)) controls.push("pan-masking");
  return {
    present: true,
    base: kids.some((k) => tagOf(k) === "base"),
    baseFirst: kids.length > 0 && tagOf(kids[0]) === "base",
    controls,
  };
}

/** Parse a policy document into per-section facts; `ok: false` when it is not a well-formed `<policies>`. */
export function policyFacts(xml: string): PolicyFacts {
  const known = precomputed.get(xml);
  if (known) return known;
  let f = memo.get(xml);
  if (!f) {
    if (memo.size > 1000) memo.clear();
    memo.set(xml, (f = parse(xml)));
  }
  return f;
}

const memo = new Map<string, PolicyFacts>();
/** Facts computed ahead for the documents of the inputs gated (a function of the document alone). */
const precomputed = new Map<string, PolicyFacts>();

/**
 * Compute the facts of these documents now and keep them for this process's evaluation (an evaluation worker does
 * this while the main thread normalizes the plan, lib/gate/parallel.ts). Returns them, for {@link usePolicyFacts}.
 */
export function precomputePolicyFacts(docs: readonly string[]): [string, PolicyFacts][] {
  return docs.map((d) => {
    let f = precomputed.get(d);
    if (!f) precomputed.set(d, (f = parse(d)));
    return [d, f];
  });
}

/**
 * Use facts another thread computed with {@link precomputePolicyFacts} (same code, same documents) instead of parsing
 * the documents here; an entry that is not well-formed facts is ignored (the document is then parsed here).
 * Returns how many were taken.
 */
export function usePolicyFacts(entries: readonly (readonly [unknown, unknown])[]): number {
  let n = 0;
  for (const [xml, f] of entries)
    if (typeof xml === "string" && isPolicyFacts(f)) {
      precomputed.set(xml, f);
      n++;
    }
  return n;
}

const CONTROLS_KNOWN = new Set<string>(Object.keys(CONTROL_SECTION));

function isPolicyFacts(f: unknown): f is PolicyFacts {
  if (!f || typeof f !== "object") return false;
  const x = f as Record<string, unknown>;
  if (x.ok === false) return typeof x.error === "string";
  if (x.ok !== true || !x.sections || typeof x.sections !== "object") return false;
  const sections = x.sections as Record<string, unknown>;
  return SECTIONS.every((name) => {
    const sf = sections[name] as Record<string, unknown> | undefined;
    return (
      !!sf &&
      typeof sf.present === "boolean" &&
      typeof sf.base === "boolean" &&
      typeof sf.baseFirst === "boolean" &&
      Array.isArray(sf.controls) &&
      sf.controls.every((c) => typeof c === "string" && CONTROLS_KNOWN.has(c))
    );
  });
}

function parse(xml: string): PolicyFacts {
  const v = XMLValidator.validate(xml);
  if (v !== true) return { ok: false, error: `not well-formed XML (line ${v.err.line}: ${v.err.msg})` };
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (e) {
    return { ok: false, error: `not well-formed XML (${(e as Error).message})` };
  }
  const roots = doc.filter((n) => tagOf(n) !== undefined && !tagOf(n)!.startsWith("?"));
  if (roots.length !== 1 || tagOf(roots[0]) !== "policies") {
    return { ok: false, error: "the document element is not <policies>" };
  }
  const root = roots[0];
  const sections = {} as Record<Section, SectionFacts>;
  for (const s of SECTIONS) {
    const found = elements(root, s);
    if (found.length > 1) return { ok: false, error: `<${s}> appears ${found.length} times` };
    sections[s] = sectionFacts(found[0], s);
  }
  return { ok: true, sections };
}
