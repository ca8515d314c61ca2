/**
 * The stacks a change touches: stacks whose synthesized `cdk.tf.json` differs between two synth outputs
 * (base and head of a pull request), plus stacks only the head has. Removed stacks are listed apart (a
 * removal is judged by planning the base's stack with -destroy, not by the head).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../hash";
import { stackDirs } from "./order";

export interface Touched {
  readonly changed: string[];
  readonly added: string[];
  readonly removed: string[];
}

function hashes(outdir: string): Map<string, string> {
  if (!fs.existsSync(outdir)) return new Map();
  return new Map(
    stackDirs(outdir).map((s) => [s.name, sha256(fs.readFileSync(path.join(s.dir, "cdk.tf.json")))] as const),
  );
}

export function touchedStacks(baseOut: string, headOut: string): Touched {
  const base = hashes(baseOut);
  const head = hashes(headOut);
  const changed: string[] = [];
  const added: string[] = [];
  for (const [name, h] of head) {
    const b = base.get(name);
    if (b === undefined) added.push(name);
    else if (b !== h) changed.push(name);
  }
  const removed = [...base.keys()].filter((n) => !head.has(n));
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}
