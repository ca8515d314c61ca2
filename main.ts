/**
 * CDKTF app entry (`cdktf.json` → `npx tsx main.ts`), used by `cdktf synth|plan|deploy <stack>`.
 *
 * Loads and validates `tenants/*.yaml` (lib/tenant/load.ts) and builds every stack of the estate
 * (stacks/app.ts). Any tenant problem aborts the synth (exit 2) — a partially valid estate is never built.
 *
 * The zonegate gate runs inside the synth (lib/cdktf/synth-gate.ts): a mandatory violation fails
 * `cdktf synth`, and therefore `cdktf diff` / `cdktf deploy`, with the rule, construct path and tenant-file
 * line. A stale or broken policy bundle fails it too (exit 2). Plan-only checks (deletes, replaces, drift)
 * need `zonegate deploy` (docs/deploying.md).
 *
 * Environment:
 * - `ZG_TENANTS_DIR` — tenant directory (default `tenants/` next to this file)
 * - `ZG_TENANTS` — comma-separated tenant ids to build (default: all)
 * - `ZG_BACKEND=azurerm` + `ARM_BACKEND_STORAGE_ACCOUNT|CONTAINER|RESOURCE_GROUP` — remote state (else local)
 */
import * as path from "node:path";
import { App } from "cdktf";
import { formatProblems, loadTenants } from "./lib/tenant/load";
import { buildEstate } from "./stacks/app";
import { addSynthGate } from "./lib/cdktf/synth-gate";
import { GateError } from "./lib/gate/errors";

async function main(): Promise<void> {
  const dir = process.env.ZG_TENANTS_DIR ?? path.join(__dirname, "tenants");
  const { tenants, problems } = loadTenants(dir);
  if (problems.length > 0) {
    console.error(formatProblems(problems));
    process.exit(2);
  }
  const only = (process.env.ZG_TENANTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !tenants.some((t) => t.id === id));
  if (unknown.length > 0) {
    console.error(`ZG_TENANTS: unknown tenant(s) ${unknown.join(", ")}`);
    process.exit(2);
  }
  const selected = only.length ? tenants.filter((t) => only.includes(t.id)) : tenants;
  const app = new App();
  buildEstate(app, selected);
  await addSynthGate(app, { root: __dirname, tenants: selected });
  app.synth();
}

main().catch((e: unknown) => {
  // One line, no stack trace: a refused bundle is "could not decide" (2), gate findings fail the synth (1).
  const msg = e instanceof Error ? e.message : String(e);
  console.error(e instanceof GateError ? `zonegate: ${msg}` : msg);
  process.exit(e instanceof GateError ? e.exitCode : 1);
});
