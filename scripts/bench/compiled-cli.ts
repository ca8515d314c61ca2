/**
 * The compiled CLI the benches time (what `npx zonegate`, the npm scripts and the workflows run): built first
 * when stale (scripts/ensure-build.mjs), then run with plain node — no runtime transpiler in the figures.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

let built: string | undefined;

/** Path of dist/lib/cli/zonegate.js, built (once per bench process) when its sources are newer. */
export function compiledCli(): string {
  if (!built) {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "ensure-build.mjs")], { cwd: ROOT, stdio: "inherit" });
    built = path.join(ROOT, "dist", "lib", "cli", "zonegate.js");
  }
  return built;
}
