/**
 * Synth worker process: `node --import tsx lib/synth-cache/build.ts <job.json>` (spawned by ./index.ts).
 *
 * A process entry, like the CLI: it wires the estate (stacks/app.ts) and the tenant loader into the build job
 * (./job.ts) and prints `{ saved, maxRssMB }` as its last stdout line. Nothing imports this file.
 */
import * as fs from "node:fs";
import * as estate from "../../stacks/app";
import { formatProblems, loadTenants } from "../tenant/load";
import { runBuildJob, type BuildJob } from "./job";

async function work(jobFile: string): Promise<string[]> {
  const job = JSON.parse(fs.readFileSync(jobFile, "utf8")) as BuildJob;
  const r = loadTenants(job.tenantsDir);
  if (r.problems.length > 0) throw new Error(`tenant validation failed:\n${formatProblems(r.problems)}`);
  return runBuildJob(job, estate, r.tenants);
}

if (require.main === module) {
  work(process.argv[2]).then(
    (ids) => {
      process.stdout.write(
        `${JSON.stringify({ saved: ids, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
      );
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
