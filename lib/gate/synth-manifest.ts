/**
 * A synthesized estate is complete only when its `manifest.json` (written last by the synth, and by
 * lib/synth-cache's assembly) lists exactly the stack folders present: a stack listed but missing (a run
 * killed while `cdktf.out` was assembled) or a folder nobody listed (a leftover, or a stack dropped in by
 * hand) means the gate would decide on a different estate than the one synthesized — exit 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "./errors";
import { displayPath } from "./normalize/common";

export interface SynthManifestCheck {
  /** Whether the directory has the CDKTF layout (`stacks/`) and was checked. */
  readonly checked: boolean;
  readonly stacks: readonly string[];
}

const HINT = "re-run `zonegate synth` (or `npm start`)";

function list(names: readonly string[]): string {
  return names.slice(0, 5).join(", ") + (names.length > 5 ? `, … (${names.length} in all)` : "");
}

export function checkSynthManifest(dir: string, root = process.cwd()): SynthManifestCheck {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    // No directory at all: the reader says so with its own message.
    return { checked: false, stacks: [] };
  }
  const stacksDir = path.join(dir, "stacks");
  if (!st.isDirectory() || !fs.existsSync(stacksDir)) return { checked: false, stacks: [] };
  const shown = displayPath(path.join(dir, "manifest.json"), root);
  const manifestFile = path.join(dir, "manifest.json");
  let text: string;
  try {
    const mst = fs.lstatSync(manifestFile);
    if (!mst.isFile()) throw new GateError(`${shown} is not a regular file: ${HINT}`);
    if (mst.size > 64 * 1024 * 1024) throw new GateError(`${shown} is larger than 64 MB: ${HINT}`);
    text = fs.readFileSync(manifestFile, "utf8");
  } catch (e) {
    if (e instanceof GateError) throw e;
    throw new GateError(
      `incomplete synth output: ${shown} is missing, so the stacks under ${displayPath(stacksDir, root)} cannot be checked against it: ${HINT}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateError(`${shown}: not valid JSON (${(e as Error).message.split("\n")[0]}): ${HINT}`);
  }
  const stacks = (doc as { stacks?: unknown })?.stacks;
  if (!stacks || typeof stacks !== "object" || Array.isArray(stacks))
    throw new GateError(`${shown}: no "stacks" object: ${HINT}`);
  const listed = Object.keys(stacks).sort();
  if (listed.length === 0) throw new GateError(`${shown} lists no stacks: nothing to gate`);
  const present = new Set<string>();
  const extra: string[] = [];
  for (const d of fs.readdirSync(stacksDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    if (fs.existsSync(path.join(stacksDir, d.name, "cdk.tf.json"))) present.add(d.name);
    if (!(d.name in (stacks as object))) extra.push(d.name);
  }
  const missing = listed.filter((n) => !present.has(n));
  if (missing.length)
    throw new GateError(
      `incomplete synth output: ${shown} lists ${listed.length} stacks but ${missing.length} ${missing.length === 1 ? "is" : "are"} missing (${list(missing)}): ${HINT}`,
    );
  if (extra.length)
    throw new GateError(
      `synth output does not match its manifest: ${displayPath(stacksDir, root)} holds ${extra.length} stack folder(s) ${shown} does not list (${list(extra.sort())}): ${HINT}`,
    );
  return { checked: true, stacks: listed };
}
