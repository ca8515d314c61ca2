/**
 * The tenant context a generated bench plan is gated with (one plan = one tenant's change set). Its own
 * module so that gate-only bench processes (scripts/bench/child.ts) do not load the constructs.
 */
import type { TenantContext } from "../../lib/gate/model";

export const BENCH_TENANT: TenantContext = {
  id: "bench-bank",
  tier: "enterprise",
  residency: "eu",
  compliance: ["pci-dss-4.0", "sox"],
  env: "prod",
};
