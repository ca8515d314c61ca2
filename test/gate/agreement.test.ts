/**
 * Agreement with verdicts nobody on this team chose:
 * - checkov's unit-test cases (test/fixtures/hcl/checkov-azure): for every case whose check id is in some
 *   rule's `peers.checkov`, our verdict on that address agrees with checkov's, or the rule's
 *   `stricter_than_peers` explains why we deny what checkov passes (never the other way round);
 * - the plan corpus (index.json expected passing/failing) for the controls one of our rules covers.
 * Runs against the product bundle (policies/dist); skipped with a note when it has not been built.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeHcl, normalizePlan } from "../../lib/gate/normalize";
import { loadBundle } from "../../lib/gate/bundle";
import { buildGateInput, evaluate } from "../../lib/gate/engine";
import type { ResourceModel, TenantContext } from "../../lib/gate/model";
import type { RuleMeta } from "../../lib/gate/catalogue";
import { REPO, realBundleExists } from "./helpers";

const FIX = path.join(__dirname, "..", "fixtures");
const tenant: TenantContext = {
  id: "peer",
  tier: "enterprise",
  residency: "us",
  compliance: ["pci-dss-4.0", "gdpr", "sox"],
  env: "prod",
};
const maybe = realBundleExists() ? describe : describe.skip;
if (!realBundleExists()) console.warn("agreement tests skipped: policies/dist not built (npm run policies:build)");

/** Plan corpus file → our rule covering the source's control (only where one does). */
const PLAN_RULES: Record<string, string> = {
  "regula_nsg_no_inbound_22.json": "ZG-NET-001",
  "regula_nsg_no_inbound_3389.json": "ZG-NET-001",
  "regula_storage_secure_transfer.json": "ZG-ST-002",
  "regula_storage_container_private.json": "ZG-ST-004",
  "regula_storage_network_deny.json": "ZG-ST-008",
};

interface Outcome {
  source: string;
  address: string;
  rule: string;
  expected: "PASSED" | "FAILED";
  ours: "PASSED" | "FAILED";
  explained?: string;
}

async function denied(resources: ResourceModel[], rules: string[]): Promise<Map<string, Set<string>>> {
  const bundle = await loadBundle({ root: REPO });
  const raw = evaluate(bundle, buildGateInput(resources, false));
  const out = new Map<string, Set<string>>();
  for (const f of raw) {
    if (!rules.includes(f.rule)) continue;
    const a = resources[f.resource].address;
    out.set(a, (out.get(a) ?? new Set()).add(f.rule));
  }
  return out;
}

function judge(o: Omit<Outcome, "explained">, meta: RuleMeta): Outcome {
  if (o.expected === o.ours) return o;
  // We may be stricter than a peer (deny what it passes) only when the rule says so.
  // …and names the case: the peer check / source, or the address.
  const why = meta.stricter_than_peers ?? "";
  const name = o.address.split(".").pop() ?? o.address;
  if (o.ours === "FAILED" && why && (why.includes(o.source) || why.includes(name))) return { ...o, explained: why };
  return o;
}

maybe("agreement with peers", () => {
  let catalogue: ReadonlyMap<string, RuleMeta>;
  beforeAll(async () => {
    catalogue = (await loadBundle({ root: REPO })).catalogue;
  });

  test("checkov-azure cases", async () => {
    const outcomes: Outcome[] = [];
    const dirs = fs.readdirSync(path.join(FIX, "hcl", "checkov-azure")).sort();
    for (const d of dirs) {
      const exp = JSON.parse(fs.readFileSync(path.join(FIX, "hcl", "checkov-azure", d, "expected.json"), "utf8"));
      const rules = [...catalogue.values()].filter((r) => (r.peers?.checkov ?? []).includes(exp.check_id));
      if (rules.length === 0) continue;
      const res = await normalizeHcl(path.join(FIX, "hcl", "checkov-azure", d, "main.tf"), { tenant, stack: d });
      const hits = await denied(
        res.resources,
        rules.map((r) => r.id),
      );
      for (const [list, expected] of [
        [exp.passing, "PASSED"],
        [exp.failing, "FAILED"],
      ] as const) {
        for (const address of list as string[]) {
          for (const rule of rules) {
            const ours = hits.get(address)?.has(rule.id) ? "FAILED" : "PASSED";
            outcomes.push(judge({ source: exp.check_id, address, rule: rule.id, expected, ours }, rule));
          }
        }
      }
    }
    report("checkov", outcomes);
  });

  test("plan corpus expectations", async () => {
    const index = JSON.parse(fs.readFileSync(path.join(FIX, "plans", "corpus", "index.json"), "utf8"));
    const outcomes: Outcome[] = [];
    for (const e of index) {
      const ruleId = PLAN_RULES[e.file];
      const meta = ruleId ? catalogue.get(ruleId) : undefined;
      if (!meta || !e.expected || !Array.isArray(e.expected.passing)) continue;
      const res = normalizePlan(path.join(FIX, "plans", "corpus", e.file), { tenant, stack: e.file });
      const types = new Set(meta.resource_types ?? []);
      const hits = await denied(res.resources, [ruleId]);
      for (const [list, expected] of [
        [e.expected.passing, "PASSED"],
        [e.expected.failing, "FAILED"],
      ] as const) {
        for (const address of list as string[]) {
          const r = res.resources.find((x) => x.address === address);
          if (!r || (types.size && !types.has(r.type))) continue;
          const ours = hits.get(address) ? "FAILED" : "PASSED";
          outcomes.push(judge({ source: e.file, address, rule: ruleId, expected, ours }, meta));
        }
      }
    }
    report("plans", outcomes);
  });
});

function report(label: string, outcomes: Outcome[]): void {
  const agree = outcomes.filter((o) => o.expected === o.ours).length;
  const explained = outcomes.filter((o) => o.explained);
  const bad = outcomes.filter((o) => o.expected !== o.ours && !o.explained);
  console.log(
    `${label}: ${outcomes.length} verdicts, ${agree} agree, ${explained.length} stricter by design` +
      explained.map((o) => `\n  stricter ${o.rule} ${o.source} ${o.address}`).join("") +
      bad.map((o) => `\n  DISAGREE ${o.rule} ${o.source} ${o.address}: peer ${o.expected}, ours ${o.ours}`).join(""),
  );
  expect(outcomes.length).toBeGreaterThan(0);
  expect(bad.map((o) => `${o.rule} ${o.source} ${o.address}: peer ${o.expected}, ours ${o.ours}`)).toEqual([]);
}
