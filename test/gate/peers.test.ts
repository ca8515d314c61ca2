/**
 * Peers that are true: every `peers.checkov` id a rule cites exists in checkov's own id → resource type table
 * (test/fixtures/checkov/checkov-ids.json, a copy of ../shared/corpus/checkov-ids.json) and names a check about
 * at least one of the rule's resource types (exactly, or through a provider glob such as `azurerm_*`).
 * Reads the rule catalogue from the committed bundle manifest (policies/dist/manifest.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Manifest, RuleMeta } from "../../lib/gate/catalogue";
import { REPO } from "./helpers";

interface CheckovCheck {
  readonly name: string;
  readonly kind: string;
  readonly resource_types: readonly string[];
}

const IDS = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "fixtures", "checkov", "checkov-ids.json"), "utf8"),
) as Record<string, CheckovCheck>;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "policies", "dist", "manifest.json"), "utf8")) as Manifest;

/** Whether one of the rule's resource types (or globs) covers the checkov type. */
export function covers(ruleTypes: readonly string[], type: string): boolean {
  return ruleTypes.some((t) => t === type || (t.endsWith("*") && t !== "*" && type.startsWith(t.slice(0, -1))));
}

/** Problems with a rule's checkov citations (empty when every citation is true). */
export function citationProblems(rule: RuleMeta, ids: Record<string, CheckovCheck>): string[] {
  const out: string[] = [];
  for (const id of rule.peers?.checkov ?? []) {
    const check = ids[id];
    if (!check) out.push(`${rule.id} cites ${id}, which is not a checkov Azure check`);
    else if (!check.resource_types.some((t) => covers(rule.resource_types ?? [], t)))
      out.push(
        `${rule.id} cites ${id} ("${check.name}", on ${check.resource_types.join(", ")}), which checks none of the rule's resource types (${(rule.resource_types ?? []).join(", ")})`,
      );
  }
  return out;
}

describe("checkov peers in rule METADATA", () => {
  test("the copied id table is checkov's (302 Azure checks)", () => {
    expect(Object.keys(IDS)).toHaveLength(302);
    expect(IDS.CKV_AZURE_110.resource_types).toEqual(["azurerm_key_vault"]);
  });

  test("the check catches wrong citations", () => {
    const rule = {
      id: "ZG-X",
      resource_types: ["azurerm_key_vault"],
      peers: { checkov: ["CKV2_AZURE_22", "CKV_NOPE"] },
    };
    expect(citationProblems(rule as unknown as RuleMeta, IDS)).toHaveLength(2);
  });

  test("every cited checkov id exists and checks one of the rule's resource types", () => {
    const cited = manifest.rules.filter((r) => (r.peers?.checkov ?? []).length > 0);
    expect(cited.length).toBeGreaterThan(10);
    expect(manifest.rules.flatMap((r) => citationProblems(r, IDS))).toEqual([]);
  });
});
