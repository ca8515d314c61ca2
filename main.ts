/**
 * CDKTF app entry (`cdktf.json` → `npx tsx main.ts`), used by `cdktf synth|plan|deploy <stack>`.
 *
 * Loads and validates `tenants/*.yaml` (lib/tenant/load.ts) and builds every stack of the estate
 * (stacks/app.ts). Any tenant problem aborts the synth (exit 2) — a partially valid estate is never built.
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

function main(): void {
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
  app.synth();
}

main();
