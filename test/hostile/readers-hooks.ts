/**
 * Setup hooks of the readers' hostile cases (`"setup": "<name>"` in test/fixtures/hostile/readers-*\/<case>/case.json).
 * A FIFO cannot be committed to git, so these create one in the case directory; each returns its cleanup.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

function fifo(file: string): () => void {
  fs.rmSync(file, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync("mkfifo", [file]);
  return () => fs.rmSync(file, { force: true });
}

export const readersHooks: Record<string, (caseDir: string) => () => void> = {
  /** `{case}/plan.json` is a FIFO nobody writes to: a reader that opens it for a blocking read hangs. */
  "readers-fifo-plan": (caseDir) => fifo(path.join(caseDir, "plan.json")),
  /** `{case}/hcl/zz.tf` is a FIFO beside a regular main.tf. */
  "readers-fifo-hcl": (caseDir) => fifo(path.join(caseDir, "hcl", "zz.tf")),
  /** `{case}/out/stacks/a/cdk.tf.json` is a FIFO (a synthesized stack). */
  "readers-fifo-synth": (caseDir) => fifo(path.join(caseDir, "out", "stacks", "a", "cdk.tf.json")),
};
