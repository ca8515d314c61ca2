/**
 * A directory of Terraform `.tf` / `.tf.json` files → ResourceModel[] (through `@cdktf/hcl2json`).
 *
 * Nothing is evaluated: variables, locals and any other `${…}` expression are unknown (value null, path in
 * `unknown`); `dynamic` blocks are unknown as a whole (their `for_each` may yield zero or many blocks);
 * `count` / `for_each` are meta-arguments (the resource keeps its un-indexed address). References inside
 * expressions become `refs`. Child modules are not expanded (reported as a warning).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "@cdktf/hcl2json";
import type { ResourceModel, StackContext, TenantContext } from "../model";
import { GateError } from "../errors";
import { configResource, displayPath, extractRefs, lineAt, reEscape, resourceKey, walkValues } from "./common";

type Json = Record<string, unknown>;

export interface HclOptions {
  /** Stack name for the directory's resources (default: the directory's base name). */
  readonly stack?: string;
  readonly tenant: TenantContext | null;
  readonly context?: StackContext;
  readonly root?: string;
}

export interface HclResult {
  readonly resources: ResourceModel[];
  readonly stack: string;
  readonly files: string[];
  readonly warnings: string[];
}

/** Parse one file to the hcl2json shape (`resource.<type>.<name>` = list of bodies). */
export async function parseTerraformFile(file: string, root?: string): Promise<Json> {
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".tf.json")) {
    try {
      return JSON.parse(text) as Json;
    } catch (e) {
      throw new GateError(`${displayPath(file, root)}: not valid JSON (${(e as Error).message})`);
    }
  }
  try {
    return await parse(path.basename(file), text);
  } catch (e) {
    throw new GateError(`${displayPath(file, root)}: HCL parse error: ${String((e as Error).message ?? e).trim()}`);
  }
}

function bodies(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === "object") as Json[];
  if (v && typeof v === "object") return [v as Json];
  return [];
}

function findLine(
  text: string,
  isJson: boolean,
  kind: "resource" | "data",
  type: string,
  name: string,
): number | undefined {
  if (isJson) {
    const t = text.indexOf(`"${type}"`);
    if (t < 0) return undefined;
    const n = text.indexOf(`"${name}"`, t);
    return n < 0 ? undefined : lineAt(text, n);
  }
  const re = new RegExp(`^[ \\t]*${kind}[ \\t]+"?${reEscape(type)}"?[ \\t]+"?${reEscape(name)}"?[ \\t]*\\{`, "m");
  const m = re.exec(text);
  return m ? lineAt(text, m.index) : undefined;
}

/** Values of one resource body: dynamic blocks become unknown, `${…}` → unknown + refs. */
function bodyToModel(body: Json): { values: Json; unknown: string[]; refs: Record<string, string[]> } {
  const dynamic = (body.dynamic ?? {}) as Json;
  const rest: Json = { ...body };
  delete rest.dynamic;
  const { values, unknown, expressions } = walkValues(rest);
  for (const blockName of Object.keys(dynamic)) {
    if (!(blockName in values)) values[blockName] = null;
    unknown.push(blockName);
  }
  const refs: Record<string, string[]> = {};
  for (const [p, exprs] of expressions) {
    const keys = new Set<string>();
    for (const e of exprs) for (const r of extractRefs(e).resources) keys.add(r);
    if (keys.size) refs[p] = [...keys];
  }
  return { values, unknown, refs };
}

/** Normalize every `.tf` / `.tf.json` file directly in `dir` (not recursive). */
export async function normalizeHcl(dir: string, opts: HclOptions): Promise<HclResult> {
  const root = opts.root ?? process.cwd();
  if (!fs.existsSync(dir)) throw new GateError(`HCL directory not found: ${dir}`);
  const isFile = fs.statSync(dir).isFile();
  const files = isFile
    ? [dir]
    : fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"))
        .sort()
        .map((f) => path.join(dir, f));
  if (files.length === 0) throw new GateError(`no .tf or .tf.json files in ${dir}`);
  const stack = opts.stack ?? path.basename(isFile ? path.dirname(path.resolve(dir)) : path.resolve(dir));
  const resources: ResourceModel[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const doc = await parseTerraformFile(file, root);
    const text = fs.readFileSync(file, "utf8");
    const shown = displayPath(file, root);
    for (const [section, mode] of [
      ["resource", "managed"],
      ["data", "data"],
    ] as const) {
      for (const [type, byName] of Object.entries((doc[section] ?? {}) as Record<string, Json>)) {
        for (const [name, raw] of Object.entries(byName ?? {})) {
          for (const body of bodies(raw).slice(0, 1)) {
            const { values, unknown, refs } = bodyToModel(body);
            const keyed: Record<string, string[]> = {};
            for (const [p, rs] of Object.entries(refs)) keyed[p] = rs.map((r) => resourceKey(stack, r));
            const line = findLine(text, file.endsWith(".json"), section, type, name);
            resources.push(
              configResource({
                stack,
                mode,
                type,
                name,
                values,
                unknown,
                refs: keyed,
                source: { kind: "hcl", file: shown, ...(line ? { line } : {}) },
                tenant: opts.tenant,
                context: opts.context,
              }),
            );
          }
        }
      }
    }
    for (const name of Object.keys((doc.module ?? {}) as Json)) {
      warnings.push(`${shown}: module "${name}" is not expanded; gate its plan (terraform show -json) instead`);
    }
  }
  const seen = new Set<string>();
  for (const r of resources) {
    if (seen.has(r.key)) throw new GateError(`${r.source.file}: duplicate resource ${r.address} in ${dir}`);
    seen.add(r.key);
  }
  return { resources, stack, files: files.map((f) => displayPath(f, root)), warnings };
}
