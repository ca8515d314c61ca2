/**
 * YAML parsing with source positions, hardened for untrusted tenant files.
 *
 * js-yaml does the parsing (CORE schema: no timestamps, binary or merge keys; max depth 20). Its `listener`
 * option reports `open`/`close` for every node; we build a node tree from those events and map every JSON
 * pointer (`/regions/1/name`) to the line:column of its value and, for mapping entries, of its key.
 * Anchors are refused as soon as the first one closes, so alias bombs ("billion laughs") never expand.
 */
import yaml from "js-yaml";

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (UTF-16 code units). */
  readonly column: number;
}

export interface NodePosition extends Position {
  /** Where the key of a mapping entry starts (absent for sequence items and the root). */
  readonly key?: Position;
}

export interface ParsedYaml {
  /** Documents in the stream (a tenant file must hold exactly one). */
  readonly documents: unknown[];
  /** Start of each document's root node. */
  readonly documentStarts: Position[];
  /** JSON pointer (of the first document) → position. Root is `""`. */
  readonly positions: ReadonlyMap<string, NodePosition>;
}

/** A problem found while decoding or parsing, with its position. */
export class YamlProblem extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "YamlProblem";
  }
}

/** Maximum nesting depth of a tenant document (the schema needs 5). */
export const MAX_DEPTH = 20;

interface Frame {
  open: number;
  children: Frame[];
  result: unknown;
  kind: string | null;
}

/** Line-start table for offset → line:column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.starts.push(i + 1);
      else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.starts.push(i + 1);
    }
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** Skip whitespace, line breaks and comments from `offset`; the start of the node's content. */
function skipToContent(text: string, offset: number): number {
  let i = offset;
  let prevSpace = true;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      prevSpace = true;
      i++;
    } else if (c === "#" && prevSpace) {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
    } else {
      break;
    }
  }
  return i < text.length ? i : offset;
}

function escapePointer(seg: string): string {
  return seg.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Descend through wrapper frames that carry the same collection as their single child. */
function unwrap(f: Frame): Frame {
  let cur = f;
  while (cur.children.length >= 1 && cur.result !== null && typeof cur.result === "object") {
    const inner = cur.children.find((c) => c.result === cur.result);
    if (!inner || cur.children.length !== 1) break;
    cur = inner;
  }
  return cur;
}

function mapPositions(
  root: Frame,
  text: string,
  lines: LineIndex,
  out: Map<string, NodePosition>,
  pointer: string,
  key?: Position,
): void {
  const node = unwrap(root);
  const pos = lines.at(skipToContent(text, root.open));
  out.set(pointer, key ? { ...pos, key } : pos);
  const value = node.result;
  if (Array.isArray(value)) {
    const items = node.children;
    if (items.length !== value.length) return;
    items.forEach((child, i) => mapPositions(child, text, lines, out, `${pointer}/${i}`));
  } else if (value !== null && typeof value === "object") {
    const kids = node.children;
    const keys = Object.keys(value);
    if (kids.length !== keys.length * 2) return;
    for (let i = 0; i < kids.length; i += 2) {
      const k = kids[i].result;
      if (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean") continue;
      const keyPos = lines.at(skipToContent(text, kids[i].open));
      mapPositions(kids[i + 1], text, lines, out, `${pointer}/${escapePointer(String(k))}`, keyPos);
    }
  }
}

class AnchorRefused extends Error {
  constructor(readonly offset: number) {
    super("anchor");
  }
}

/**
 * Parse YAML text (already decoded, BOM stripped) into documents and a position map of the first one.
 * Throws {@link YamlProblem} for syntax errors, duplicate keys, anchors/aliases, excessive depth.
 */
export function parseYamlWithPositions(text: string, filename?: string): ParsedYaml {
  const lines = new LineIndex(text);
  const roots: Frame[] = [];
  const stack: Frame[] = [];
  const listener = (event: "open" | "close", state: yaml.State & Record<string, unknown>): void => {
    if (event === "open") {
      stack.push({ open: state.position, children: [], result: undefined, kind: null });
      return;
    }
    const frame = stack.pop();
    if (!frame) return;
    if (typeof state.anchor === "string" && state.anchor !== "") {
      const at = text.indexOf("&" + state.anchor, frame.open);
      throw new AnchorRefused(at >= 0 ? at : frame.open);
    }
    frame.result = state.result;
    frame.kind = (state.kind as string | null) ?? null;
    if (stack.length) stack[stack.length - 1].children.push(frame);
    else roots.push(frame);
  };
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, undefined, {
      schema: yaml.CORE_SCHEMA,
      filename,
      json: false,
      maxDepth: MAX_DEPTH,
      // Merge keys are not in the CORE schema; keep the limit anyway.
      maxTotalMergeKeys: 0,
      listener: listener as unknown as yaml.LoadOptions["listener"],
    } as yaml.LoadOptions);
  } catch (e) {
    if (e instanceof AnchorRefused) {
      const p = lines.at(e.offset);
      throw new YamlProblem(
        "YAML anchors and aliases (&name, *name) are not allowed in tenant files; write the values out",
        p.line,
        p.column,
      );
    }
    if (e instanceof yaml.YAMLException) {
      const mark = (e as yaml.YAMLException & { mark?: { line: number; column: number } }).mark;
      let reason = e.reason || "invalid YAML";
      if (/^nesting exceeded maxDepth/.test(reason)) reason = `nesting deeper than ${MAX_DEPTH} levels`;
      if (/^unidentified alias/.test(reason)) {
        reason = `${reason}; YAML anchors and aliases are not allowed in tenant files`;
      }
      throw new YamlProblem(`YAML syntax error: ${reason}`, (mark?.line ?? 0) + 1, (mark?.column ?? 0) + 1);
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new YamlProblem(`YAML could not be parsed: ${msg}`, 1, 1);
  }
  const positions = new Map<string, NodePosition>();
  // Document roots: frames closed at depth 0, one per document (empty documents may have no frame).
  if (roots.length && documents.length) mapPositions(roots[0], text, lines, positions, "");
  const documentStarts = roots.map((r) => lines.at(skipToContent(text, r.open)));
  return { documents, documentStarts, positions };
}

/** Nearest known position for a pointer: itself, else its closest ancestor, else 1:1. */
export function positionOf(positions: ReadonlyMap<string, NodePosition>, pointer: string): NodePosition {
  let p = pointer;
  for (;;) {
    const hit = positions.get(p);
    if (hit) return hit;
    if (p === "") return { line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
