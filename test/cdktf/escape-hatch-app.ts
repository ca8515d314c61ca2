/**
 * Test CDKTF app (run by test/cdktf/synth-gate.test.ts through `cdktf synth --app`): one example tenant,
 * with the Log Analytics workspace's retention lowered to 30 days through a construct escape hatch
 * (`addOverride`). The gate inside the synth must fail it, naming the construct path and the tenant file's
 * line. With ZG_ESCAPE_HATCH=off it is the unmodified tenant and must synthesize.
 */
import * as path from "node:path";
import { App, TerraformResource } from "cdktf";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { loadTenants, formatProblems } from "../../lib/tenant/load";
import { buildEstate } from "../../stacks/app";
import { addSynthGate } from "../../lib/cdktf/synth-gate";

const ROOT = path.resolve(__dirname, "..", "..");

async function main(): Promise<void> {
  const { tenants, problems } = loadTenants(path.join(ROOT, "tenants"));
  if (problems.length) throw new Error(formatProblems(problems));
  const tenant = tenants.filter((t) => t.id === (process.env.ZG_TEST_TENANT ?? "lakeshore-cu"));
  const app = new App();
  buildEstate(app, tenant);
  if (process.env.ZG_ESCAPE_HATCH !== "off") {
    const ws = app.node.findAll().find((c) => c instanceof LogAnalyticsWorkspace) as TerraformResource | undefined;
    if (!ws) throw new Error("no Log Analytics workspace in the test estate");
    ws.addOverride("retention_in_days", 30);
  }
  await addSynthGate(app, { root: ROOT, tenants: tenant });
  app.synth();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
