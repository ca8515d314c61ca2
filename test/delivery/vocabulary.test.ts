import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkVocabulary,
  constructOfTest,
  constructTestOf,
  parseConstructHeader,
  rulesFromInspect,
  type VocabularyInput,
} from "../../lib/delivery/vocabulary";

const ROOT = join(__dirname, "../..");
const OPA = join(ROOT, ".tools/bin/opa");

/** The repository as it is: rule METADATA straight from the Rego (opa inspect), the construct and test files. */
function repo(): VocabularyInput {
  if (!existsSync(OPA)) throw new Error(`${OPA} is missing: install the pinned OPA CLI (see README)`);
  const inspected = JSON.parse(
    execFileSync(OPA, ["inspect", "-a", "--format", "json", "policies"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as unknown;
  const constructs: Record<string, string> = {};
  for (const f of readdirSync(join(ROOT, "constructs"))
    .filter((f) => f.endsWith(".ts"))
    .sort()) {
    constructs[`constructs/${f}`] = readFileSync(join(ROOT, "constructs", f), "utf8");
  }
  const constructTests = readdirSync(join(ROOT, "test/constructs"))
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => `test/constructs/${f}`);
  return { rules: rulesFromInspect(inspected), constructs, constructTests, exists: (p) => existsSync(join(ROOT, p)) };
}

describe("one vocabulary: rule → construct → tests", () => {
  const real = repo();

  it("holds for the repository", () => {
    expect(checkVocabulary(real)).toEqual([]);
    const withConstruct = real.rules.filter((r) => r.construct?.startsWith("constructs/"));
    console.log(
      `vocabulary: ${real.rules.length} rules (${withConstruct.length} name a construct), ` +
        `${Object.keys(real.constructs).length} constructs, ${real.constructTests.length} mirrored tests`,
    );
    expect(real.rules.length).toBeGreaterThanOrEqual(80);
    expect(Object.keys(real.constructs)).toHaveLength(real.constructTests.length);
    // rule files come from the annotations, whatever the layout; each has its _test.rego beside it
    for (const r of real.rules) {
      expect(r.file).toMatch(/^policies\/.+\.rego$/);
      expect(existsSync(join(ROOT, r.file.replace(/\.rego$/, "_test.rego")))).toBe(true);
    }
  });

  it("fails when a construct has no mirrored test, or a test mirrors no construct", () => {
    const tests = real.constructTests.filter((t) => t !== "test/constructs/key-vault.test.ts");
    expect(checkVocabulary({ ...real, constructTests: [...tests, "test/constructs/network.test.ts"] })).toEqual([
      "constructs/key-vault.ts: no mirrored test test/constructs/key-vault.test.ts",
      "test/constructs/network.test.ts: mirrors no construct (constructs/network.ts)",
    ]);
  });

  it("fails when a header's ids differ from the rules whose METADATA names the construct", () => {
    const kv = real.constructs["constructs/key-vault.ts"];
    const dropped = kv.replace(" * Satisfies: ZG-KV-001, ZG-KV-002,", " * Satisfies: ZG-KV-002,");
    expect(dropped).not.toBe(kv);
    expect(
      checkVocabulary({ ...real, constructs: { ...real.constructs, "constructs/key-vault.ts": dropped } }),
    ).toEqual(['constructs/key-vault.ts: "Satisfies:" lacks ZG-KV-001 (METADATA names this file)']);
    const added = kv.replace(" * Satisfies: ZG-KV-001,", " * Satisfies: ZG-KV-001, ZG-KV-001X,");
    expect(checkVocabulary({ ...real, constructs: { ...real.constructs, "constructs/key-vault.ts": added } })).toEqual([
      'constructs/key-vault.ts: "Satisfies:" has "ZG-KV-001X", not rule ids',
    ]);
    const moved = real.rules.map((r) =>
      r.id === "ZG-KV-001" ? { ...r, construct: "constructs/private-endpoint.ts" } : r,
    );
    expect(checkVocabulary({ ...real, rules: moved })).toEqual([
      'constructs/key-vault.ts: "Satisfies:" names ZG-KV-001, whose METADATA does not name this file',
      'constructs/private-endpoint.ts: "Satisfies:" lacks ZG-KV-001 (METADATA names this file)',
    ]);
    const none = kv.replace(/ \* Satisfies: [^\n]*\n/, "");
    expect(checkVocabulary({ ...real, constructs: { ...real.constructs, "constructs/key-vault.ts": none } })).toEqual([
      'constructs/key-vault.ts: has no "Satisfies:" line in its top JSDoc',
    ]);
  });

  it("fails when a rule's METADATA names a construct that does not exist", () => {
    const rules = real.rules.map((r) => (r.id === "ZG-WAF-001" ? { ...r, construct: "constructs/waf.ts" } : r));
    const problems = checkVocabulary({ ...real, rules });
    expect(problems).toContain(
      `ZG-WAF-001 (${real.rules.find((r) => r.id === "ZG-WAF-001")!.file}): METADATA construct constructs/waf.ts does not exist`,
    );
  });

  it("fails on an unknown rule id in a construct, and on an 'Also configures' the construct cannot back", () => {
    const dns = real.constructs["constructs/private-dns-zones.ts"];
    const bad = dns.replace(" * Satisfies: none", " * Satisfies: none\n * Also configures: ZG-AKS-001, ZG-ZZ-999");
    expect(
      checkVocabulary({ ...real, constructs: { ...real.constructs, "constructs/private-dns-zones.ts": bad } }),
    ).toEqual([
      'constructs/private-dns-zones.ts: "Also configures:" ZG-AKS-001, but creates none of its resource types',
      "constructs/private-dns-zones.ts: mentions ZG-ZZ-999, which is no rule",
    ]);
  });
});

describe("vocabulary helpers", () => {
  it("parse a wrapped header and mirror paths both ways", () => {
    const h = parseConstructHeader(
      "/**\n * X.\n *\n * Satisfies: ZG-A-001, ZG-A-002,\n *   ZG-A-010\n * Also configures: ZG-B-001\n */\nexport {};\n",
    );
    expect(h).toEqual({ satisfies: ["ZG-A-001", "ZG-A-002", "ZG-A-010"], alsoConfigures: ["ZG-B-001"], problems: [] });
    expect(parseConstructHeader("/**\n * Satisfies: ZG-A-010, ZG-A-002\n */").problems).toEqual([
      '"Satisfies:" ids are not unique and in natural order',
    ]);
    expect(parseConstructHeader("/**\n * Satisfies: none\n */").satisfies).toEqual([]);
    expect(constructTestOf("./constructs/key-vault.ts")).toBe("test/constructs/key-vault.test.ts");
    expect(constructTestOf("policies/data/services.json")).toBeUndefined();
    expect(constructOfTest("test/constructs/key-vault.test.ts")).toBe("constructs/key-vault.ts");
    expect(() => rulesFromInspect({})).toThrow(/annotations/);
  });
});
