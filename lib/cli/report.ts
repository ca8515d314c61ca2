/**
 * `zonegate report --from reports/gate.json`: render the HTML posture page (reports/index.html) from a
 * gate.json — e.g. one downloaded as a CI artifact — without running the gate. The run history beside it
 * (history.jsonl) is read for the trend chart, never appended: the run was recorded when it ran.
 * Exit 0 when the page was written; 2 (one-line message, nothing written) when the input cannot be used.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { GateError } from "../gate/errors";
import { displayPath } from "../gate/normalize/common";
import { HISTORY_FILE } from "../report/history";
import { jsonErrorOffset } from "../report/json-position";
import type { GateDoc } from "../report/posture";

interface ReportIo {
  out(s: string): void;
  err(s: string): void;
}

/** 1-based line and column of a character offset. */
function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, col: pos - before.lastIndexOf("\n") };
}

const ARRAYS = ["findings", "stacks", "rules", "notEvaluated", "unusedWaivers", "warnings"] as const;

/** V8's JSON.parse message without the quoted snippet or position (the caller gives file:line:col). */
function jsonReason(msg: string): string {
  return msg
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, "")
    .replace(/\s*(in JSON )?at position \d+.*$/s, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Parse and shape-check a gate.json; every problem is one GateError line naming file(:line:col) and field. */
export function readGateJson(file: string): GateDoc {
  const shown = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GateError(
      code === "ENOENT"
        ? `${shown}: no such file (write it with \`npm start\` or \`zonegate gate --out reports\`)`
        : `${shown}: cannot read (${code ?? (e as Error).message})`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = lineCol(text, Math.max(0, jsonErrorOffset(text)));
    throw new GateError(`${shown}:${at.line}:${at.col}: invalid JSON: ${jsonReason(msg)}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new GateError(`${shown}:1:1: not a zonegate gate.json: expected an object`);
  const d = doc as Record<string, unknown>;
  if (d.tool !== "zonegate") throw new GateError(`${shown}: not a zonegate gate.json: field "tool" is not "zonegate"`);
  for (const k of ARRAYS)
    if (!Array.isArray(d[k])) throw new GateError(`${shown}: not a zonegate gate.json: field "${k}" must be an array`);
  if (typeof d.pass !== "boolean")
    throw new GateError(`${shown}: not a zonegate gate.json: field "pass" must be a boolean`);
  if (!d.totals || typeof d.totals !== "object")
    throw new GateError(`${shown}: not a zonegate gate.json: field "totals" must be an object`);
  (d.findings as unknown[]).forEach((f, i) => {
    const x = f as Record<string, unknown>;
    for (const k of ["rule", "status", "key", "address", "type", "stack", "severity"])
      if (typeof x?.[k] !== "string")
        throw new GateError(`${shown}: not a zonegate gate.json: field "findings[${i}].${k}" must be a string`);
  });
  (d.rules as unknown[]).forEach((r, i) => {
    if (typeof (r as Record<string, unknown>)?.id !== "string")
      throw new GateError(`${shown}: not a zonegate gate.json: field "rules[${i}].id" must be a string`);
  });
  (d.stacks as unknown[]).forEach((s, i) => {
    if (typeof (s as Record<string, unknown>)?.name !== "string")
      throw new GateError(`${shown}: not a zonegate gate.json: field "stacks[${i}].name" must be a string`);
  });
  return doc as GateDoc;
}

export function registerReport(program: Command, io: ReportIo, setCode: (c: number) => void): void {
  program
    .command("report")
    .description("render the HTML posture report (index.html) from a gate.json, without running the gate")
    .option("--from <file>", "gate.json written by a gate run", path.join("reports", "gate.json"))
    .option("--out <file>", "HTML file to write (default: index.html beside the gate.json)")
    .option("--history <file>", "run history for the trend chart (default: history.jsonl beside the gate.json)")
    .action(async (o: { from: string; out?: string; history?: string }) => {
      // The renderer (Eta, the template, uPlot) loads in this command only.
      const { HTML_FILE, renderFromGateJson, writeAtomic } = await import("../report/html/write");
      const doc = readGateJson(o.from);
      const dir = path.dirname(o.from);
      const out = o.out ?? path.join(dir, HTML_FILE);
      const html = renderFromGateJson(doc, o.history ?? path.join(dir, HISTORY_FILE));
      try {
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        writeAtomic(out, html);
      } catch (e) {
        throw new GateError(`${displayPath(out)}: cannot write (${(e as NodeJS.ErrnoException).code ?? "error"})`);
      }
      io.out(`report: ${displayPath(out)} (${doc.findings.length} findings, ${doc.stacks.length} stacks)`);
      setCode(0);
    });
}
