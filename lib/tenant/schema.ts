/**
 * JSON Schema validation of a parsed tenant document (ajv, allErrors) with errors rewritten into plain
 * words that say what was expected, each tied to the JSON pointer of the offending node.
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import schema from "./tenant.schema.json";
import { didYouMean, show } from "./problems";

export const TENANT_SCHEMA: unknown = schema;

/** A schema problem before it gets a file position. */
export interface SchemaIssue {
  /** JSON pointer of the node to point at. */
  readonly pointer: string;
  /** Point at the key of that node (unknown keys) rather than its value. */
  readonly atKey?: boolean;
  /** Pointer shown as the path (may differ from `pointer`, e.g. a missing key's parent). */
  readonly pathPointer: string;
  readonly message: string;
  readonly expected?: string;
}

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: false });
  addFormats(ajv, ["email", "uri"]);
  ajv.addKeyword({ keyword: "x-expected", schemaType: "string" });
  validator = ajv.compile(schema);
  return validator;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a number";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "string") return "a string";
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "null",
};

/** Why an id is invalid, as precisely as possible (lookalikes, separators, case…). */
export function describeBadId(id: string): { message: string; expected: string } {
  const expected = "a lowercase DNS label of 2–20 characters: a letter, then letters, digits and single hyphens";
  const s = show(id);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const ctl = [...id].find((c) => /[\u0000-\u001f\u007f-\u009f]/.test(c));
  if (ctl !== undefined) {
    const cp = ctl.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return { message: `id ${s} contains control character U+${cp}`, expected };
  }
  if (/[/\\]/.test(id)) return { message: `id ${s} contains a path separator`, expected };
  if (id.includes("..")) return { message: `id ${s} contains ".."`, expected };
  const nonAscii = [...id].find((c) => c.codePointAt(0)! > 0x7e);
  if (nonAscii !== undefined) {
    const cp = nonAscii.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return {
      message: `id ${s} contains non-ASCII character ${show(nonAscii)} (U+${cp}), which may imitate an ASCII letter`,
      expected,
    };
  }
  if (/[A-Z]/.test(id)) {
    return { message: `id ${s} contains uppercase letters (did you mean ${show(id.toLowerCase())}?)`, expected };
  }
  if (id.length < 2 || id.length > 20) return { message: `id ${s} is ${id.length} characters long`, expected };
  if (/\s/.test(id)) return { message: `id ${s} contains whitespace`, expected };
  if (!/^[a-z]/.test(id)) return { message: `id ${s} must start with a letter`, expected };
  if (/--/.test(id)) return { message: `id ${s} contains consecutive hyphens`, expected };
  if (/-$/.test(id)) return { message: `id ${s} ends with a hyphen`, expected };
  const bad = [...id].find((c) => !/[a-z0-9-]/.test(c));
  return {
    message: `id ${s} contains ${bad === undefined ? "invalid characters" : `character ${show(bad)}`}`,
    expected,
  };
}

function issueFor(e: ErrorObject): SchemaIssue {
  const ptr = e.instancePath;
  const data = e.data;
  const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
  const xExpected = typeof ps["x-expected"] === "string" ? (ps["x-expected"] as string) : undefined;
  const base = { pointer: ptr, pathPointer: ptr };
  switch (e.keyword) {
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { ...base, message: `missing required key ${show(missing)}` };
    }
    case "additionalProperties": {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((ps.properties as Record<string, unknown>) ?? {});
      const guess = didYouMean(extra, allowed);
      const child = `${ptr}/${extra.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return {
        pointer: child,
        pathPointer: child,
        atKey: true,
        message: `unknown key ${show(extra)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
        expected: `one of: ${allowed.join(", ")}`,
      };
    }
    case "type": {
      const want = (e.params as { type: string }).type;
      const got = kindOf(data);
      const shown = data !== null && typeof data === "object" ? "" : ` ${show(data)}`;
      return { ...base, message: `must be ${TYPE_WORDS[want] ?? want}, got ${got}${shown}` };
    }
    case "enum": {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const guess = typeof data === "string" ? didYouMean(data, allowed) : undefined;
      return {
        ...base,
        message: `unknown value ${show(data)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
        expected: `one of: ${allowed.join(", ")}`,
      };
    }
    case "pattern":
    case "minLength":
    case "maxLength": {
      if (ptr === "/id" && typeof data === "string") return { ...base, ...describeBadId(data) };
      if (e.keyword === "minLength" && data === "")
        return { ...base, message: "must not be empty", expected: xExpected };
      if (e.keyword === "pattern") return { ...base, message: `invalid value ${show(data)}`, expected: xExpected };
      const limit = (e.params as { limit: number }).limit;
      const len = typeof data === "string" ? [...data].length : 0;
      return {
        ...base,
        message:
          e.keyword === "minLength"
            ? `${show(data)} is ${len} characters long, shorter than the minimum ${limit}`
            : `value is ${len} characters long, longer than the maximum ${limit}`,
        expected: xExpected,
      };
    }
    case "format": {
      const fmt = (e.params as { format: string }).format;
      const what = fmt === "email" ? "e-mail address" : fmt === "uri" ? "URL" : fmt;
      return {
        ...base,
        message: `${show(data)} is not a valid ${what}`,
        expected: fmt === "email" ? "an address like secops@example.com" : undefined,
      };
    }
    case "minimum":
    case "maximum": {
      const limit = (e.params as { limit: number }).limit;
      return {
        ...base,
        message: `${show(data)} is ${e.keyword === "minimum" ? "below the minimum" : "above the maximum"} ${limit}`,
        expected: rangeText(ps),
      };
    }
    case "minItems":
    case "maxItems": {
      const limit = (e.params as { limit: number }).limit;
      const n = Array.isArray(data) ? data.length : 0;
      return {
        ...base,
        message:
          e.keyword === "minItems"
            ? n === 0
              ? `must list at least ${limit} item${limit === 1 ? "" : "s"}`
              : `lists ${n} item${n === 1 ? "" : "s"}, fewer than the minimum ${limit}`
            : `lists ${n} items, more than the maximum ${limit}`,
      };
    }
    case "uniqueItems": {
      const { i, j } = e.params as { i: number; j: number };
      const dup = Math.max(i, j);
      const first = Math.min(i, j);
      const item = Array.isArray(data) ? data[dup] : undefined;
      const child = `${ptr}/${dup}`;
      return {
        pointer: child,
        pathPointer: child,
        message: `duplicate item ${show(item)} (already listed as item ${first})`,
      };
    }
    default:
      return { ...base, message: e.message ?? `fails schema keyword ${e.keyword}` };
  }
}

function rangeText(ps: Record<string, unknown>): string | undefined {
  const min = ps.minimum;
  const max = ps.maximum;
  const int = ps.type === "integer" ? "an integer" : "a number";
  if (typeof min === "number" && typeof max === "number") return `${int} from ${min} to ${max}`;
  if (typeof min === "number") return `${int} ≥ ${min}`;
  if (typeof max === "number") return `${int} ≤ ${max}`;
  return undefined;
}

const PRIORITY: Record<string, number> = { type: 0, enum: 1, required: 2, pattern: 3, format: 3 };

/**
 * Validate a document. Returns one issue per offending node (the most telling one) plus every missing and
 * unknown key, and the set of pointers that failed (semantic checks skip those and their descendants).
 */
export function validateTenantDocument(doc: unknown): { issues: SchemaIssue[]; invalid: Set<string> } {
  const validate = compile();
  if (validate(doc)) return { issues: [], invalid: new Set() };
  const errors = [...(validate.errors ?? [])];
  const issues: SchemaIssue[] = [];
  const seen = new Map<string, number>();
  const invalid = new Set<string>();
  errors.sort((a, b) => (PRIORITY[a.keyword] ?? 5) - (PRIORITY[b.keyword] ?? 5));
  for (const e of errors) {
    const issue = issueFor(e);
    // A missing key leaves its parent usable for the other checks; everything else poisons the node.
    if (e.keyword !== "required") invalid.add(issue.pointer);
    const perNode = e.keyword === "required" || e.keyword === "additionalProperties" || e.keyword === "uniqueItems";
    if (!perNode) {
      if (seen.has(issue.pointer)) continue;
      seen.set(issue.pointer, issues.length);
    }
    issues.push(issue);
  }
  return { issues, invalid };
}

/** Whether `pointer` or one of its ancestors failed schema validation. */
export function isInvalid(invalid: ReadonlySet<string>, pointer: string): boolean {
  let p = pointer;
  for (;;) {
    if (invalid.has(p)) return true;
    if (p === "") return false;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
