/**
 * A small typed XML element tree, serialized with fast-xml-parser's XMLBuilder, used to generate API Management
 * policy documents.
 *
 * Why not template strings: tenant data (display names, audiences, issuers, regexes, partner names) ends up in
 * policy XML, and a single `<`, `&` or `"` in the wrong place would either break the document or inject policy
 * elements. Every value reaches the output through {@link escapeText} / {@link escapeAttr}; element and
 * attribute names are checked against the XML Name production; comments are sanitised so `--` cannot end them.
 * There is no CDATA output, so `]]>` in data is just text (its `>` is escaped anyway).
 */

import { XMLBuilder } from "fast-xml-parser";

export type XmlAttrValue = string | number | boolean;

export interface XmlElement {
  readonly kind: "element";
  readonly name: string;
  readonly attrs: Readonly<Record<string, XmlAttrValue>>;
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: "text";
  readonly value: string;
}

export interface XmlComment {
  readonly kind: "comment";
  readonly value: string;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

/** A child argument: nodes, strings (become text), or falsy values (skipped) so optional parts read naturally. */
export type XmlChild = XmlNode | string | false | null | undefined | readonly XmlChild[];

const NAME_RE = /^[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?$/;
// XML 1.0 Char production: tab, LF, CR, and U+0020 and above except surrogates halves alone / U+FFFE / U+FFFF.
// eslint-disable-next-line no-control-regex
const INVALID_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function checkName(name: string, what: string): string {
  if (!NAME_RE.test(name)) throw new Error(`invalid XML ${what} name: ${JSON.stringify(name)}`);
  return name;
}

function checkChars(s: string): string {
  const m = INVALID_CHAR_RE.exec(s);
  if (m) {
    throw new Error(`character U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} is not allowed in XML 1.0`);
  }
  return s;
}

function flatten(children: readonly XmlChild[], out: XmlNode[]): XmlNode[] {
  for (const c of children) {
    if (c === false || c === null || c === undefined) continue;
    if (typeof c === "string") out.push(text(c));
    else if (Array.isArray(c)) flatten(c as readonly XmlChild[], out);
    else out.push(c as XmlNode);
  }
  return out;
}

/** An element. Attributes whose value is `undefined` are left out. */
export function el(
  name: string,
  attrs: Readonly<Record<string, XmlAttrValue | undefined>> = {},
  ...children: XmlChild[]
): XmlElement {
  checkName(name, "element");
  const a: Record<string, XmlAttrValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    a[checkName(k, "attribute")] = v;
  }
  return { kind: "element", name, attrs: a, children: flatten(children, []) };
}

export function text(value: string): XmlText {
  return { kind: "text", value: checkChars(String(value)) };
}

/** A comment; `--` and a trailing `-` (which XML forbids inside comments) are neutralised. */
export function comment(value: string): XmlComment {
  return { kind: "comment", value: checkChars(String(value)) };
}

/** Escape character data: `&`, `<`, `>` (so `]]>` can never appear), and CR (kept by numeric reference). */
export function escapeText(s: string): string {
  return checkChars(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/**
 * Escape an attribute value for a double-quoted attribute. Whitespace characters are written as character
 * references so that attribute-value normalisation does not turn them into spaces.
 */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

function sanitizeComment(s: string): string {
  let v = s.replace(/-{2,}/g, (m) => m.split("").join(" "));
  if (v.endsWith("-")) v += " ";
  return v;
}

function attrString(v: XmlAttrValue): string {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`non-finite number in XML attribute: ${v}`);
    return String(v);
  }
  return typeof v === "boolean" ? (v ? "true" : "false") : v;
}

/** fast-xml-parser's XMLBuilder over the ordered form; every value reaches it already escaped (see {@link serialize}). */
function builder(step: string): XMLBuilder {
  return new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    commentPropName: "#comment",
    format: true,
    indentBy: step,
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
    processEntities: false,
  });
}

const BUILDERS = new Map<string, XMLBuilder>();

/** The builder's ordered form of a node (`{ name: children, ":@": attributes }`), values escaped here. */
function ordered(node: XmlNode): Record<string, unknown> {
  if (node.kind === "text") return { "#text": escapeText(node.value) };
  if (node.kind === "comment") return { "#comment": [{ "#text": ` ${escapeText(sanitizeComment(node.value))} ` }] };
  const texts = node.children.filter((c) => c.kind === "text").length;
  if (texts > 0 && texts < node.children.length) {
    // Policy documents have none; the builder would lay it out differently from the indented form.
    throw new Error(`mixed content (text beside elements) in <${node.name}> is not supported`);
  }
  const out: Record<string, unknown> = { [node.name]: node.children.map(ordered) };
  const attrs = Object.entries(node.attrs);
  if (attrs.length > 0) out[":@"] = Object.fromEntries(attrs.map(([k, v]) => [`@_${k}`, escapeAttr(attrString(v))]));
  return out;
}

/**
 * Serialise a tree to an indented XML string (no XML declaration; APIM policy documents have none), with
 * fast-xml-parser's XMLBuilder. Its own entity handling is off: names were checked by {@link el} and every text,
 * attribute value and comment is escaped here by {@link escapeText} / {@link escapeAttr}, which leave no `<`, `>`
 * or quote in a value — so `/>` only ever ends an empty element, written `<name />` as APIM's own documents do.
 * Elements holding only text are written inline (no whitespace is added to the value); an element whose text is
 * empty is written as an empty element. Mixed content (text beside elements) is refused.
 */
export function serialize(root: XmlElement, step = "  "): string {
  let b = BUILDERS.get(step);
  if (!b) BUILDERS.set(step, (b = builder(step)));
  const xml = b.build([ordered(root)]) as string;
  return `${xml.replace(/^\n/, "").replace(/\/>/g, " />")}\n`;
}

/**
 * Escape Terraform template sequences (`${` and `%{`) in a literal string that is written into Terraform JSON.
 * Terraform evaluates those sequences in every JSON string, so a tenant value containing `${...}` would be an
 * expression injection into the plan. `$${` / `%%{` are Terraform's literal escapes.
 */
export function escapeTerraformTemplate(s: string): string {
  return s.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
}

/** Inverse of {@link escapeTerraformTemplate} (what Terraform sends to the API), for tests and tools. */
export function unescapeTerraformTemplate(s: string): string {
  return s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}
