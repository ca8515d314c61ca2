import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { XMLParser } from "fast-xml-parser";
import { gateResources } from "../../lib/gate/gate";
import type { ResourceModel } from "../../lib/gate/model";
import type { Waiver } from "../../lib/gate/waivers";
import {
  formatConsole,
  formatJunit,
  formatMarkdown,
  toSarif,
  formatJson,
  writeReports,
  stackTypes,
} from "../../lib/report";
import { fingerprint } from "../../lib/report/sarif";
import { fixtureBundleOptions, tmpDir } from "../gate/helpers";

const SCHEMA = path.join(
  __dirname,
  "..",
  "..",
  "node_modules",
  "@microsoft",
  "jest-sarif",
  "lib",
  "schemas",
  "sarif-2.1.0-rtm.5.json",
);

function r(
  stack: string,
  tenantId: string | null,
  type: string,
  name: string,
  values: Record<string, unknown>,
  env = "prod",
): ResourceModel {
  return {
    key: `${stack}::${type}.${name}`,
    address: `${type}.${name}`,
    type,
    name,
    provider: "azurerm",
    mode: "managed",
    actions: ["create"],
    values,
    unknown: values.purge_protection_enabled === null ? ["purge_protection_enabled"] : [],
    refs: {},
    source: {
      kind: "synth",
      file: `cdktf.out/stacks/${stack}/cdk.tf.json`,
      constructPath: `${stack}/${name}`,
      line: 12,
    },
    stack,
    tenant: tenantId
      ? { id: tenantId, tier: "premium", residency: "eu", compliance: ["pci-dss-4.0"], env: env as "prod" }
      : null,
    ...(tenantId ? {} : { context: { env, platform: true, tenants: ["acme"] } }),
  };
}

const resources = [
  r("acme-prod-security", "acme", "azurerm_key_vault", "kv", { purge_protection_enabled: false }),
  r("acme-prod-security", "acme", "azurerm_key_vault", "kv2", { purge_protection_enabled: null }),
  r("acme-prod-security", "acme", "azurerm_storage_account", "sa", { min_tls_version: "TLS1_1" }),
  r("acme-dev-security", "acme", "azurerm_storage_account", "sa", { min_tls_version: "TLS1_0" }, "dev"),
  r("platform-prod-compute", null, "azurerm_key_vault", "pkv", { purge_protection_enabled: false }),
  r("platform-prod-compute", null, "azurerm_storage_account", '<weird & "name">', { min_tls_version: "TLS1_2" }),
];
const waivers: Waiver[] = [
  {
    rule: "ZT-KV-001",
    address: "azurerm_key_vault.pkv",
    tenant: "platform",
    reason: 'shared vault <migrating> & "soon"',
    approver: "ciso@example.com",
    expires: "2099-01-01",
    file: "waivers.yaml",
    line: 1,
  },
  {
    rule: "ZT-ST-001",
    address: "azurerm_storage_account.*",
    tenant: "acme",
    reason: "old",
    approver: "x@example.com",
    expires: "2001-01-01",
    file: "waivers.yaml",
    line: 8,
  },
];
const stacks = ["acme-prod-security", "acme-dev-security", "platform-prod-compute"].map((name) => ({
  name,
  kind: "synth" as const,
  file: `cdktf.out/stacks/${name}/cdk.tf.json`,
  tenant: name.startsWith("acme") ? "acme" : null,
  resources: resources.filter((x) => x.stack === name).length,
}));

async function verdict() {
  return gateResources(resources, false, {
    bundle: fixtureBundleOptions(),
    waivers,
    stacks,
    now: new Date("2030-06-01"),
  });
}

describe("reports", () => {
  test("verdict under test has every status", async () => {
    const v = await verdict();
    expect(new Set(v.findings.map((f) => f.status))).toEqual(new Set(["violation", "advisory", "waived"]));
    expect(v.exitCode).toBe(1);
  });

  test("SARIF is valid against the official 2.1.0 schema and carries what GitHub needs", async () => {
    const v = await verdict();
    const log = toSarif(v);
    const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
    // The official file is written against draft-04; the only draft-04-only keyword it uses is the top-level `id`.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const ok = validate(JSON.parse(JSON.stringify(log)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run = log.runs[0];
    const kv = run.tool.driver.rules!.find((x) => x.id === "ZT-KV-001")!;
    expect(kv.shortDescription!.text).toBe("Key Vault has purge protection enabled");
    expect(kv.help!.markdown).toContain("Remediation");
    expect(kv.help!.markdown).toContain("pci-dss-4.0: 3.6.1");
    expect(kv.properties!.tags).toEqual(expect.arrayContaining(["security", "pci-dss-4.0"]));
    expect(kv.properties!["security-severity"]).toBe("8.0");
    const res = run.results!.find((x) => x.ruleId === "ZT-KV-001" && x.level === "error")!;
    expect(res.locations![0].physicalLocation!.artifactLocation!.uri).toBe(
      "cdktf.out/stacks/acme-prod-security/cdk.tf.json",
    );
    expect(res.locations![0].physicalLocation!.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
    expect(res.locations![0].physicalLocation!.region!.startLine).toBe(12);
    expect(res.locations![0].logicalLocations![0].name).toBe("acme-prod-security/kv");
    expect(res.partialFingerprints!["zonegateFinding/v1"]).toBe(
      fingerprint({ rule: "ZT-KV-001", key: "acme-prod-security::azurerm_key_vault.kv" }),
    );
    expect(run.results!.find((x) => x.suppressions)!.suppressions![0].justification).toContain("ciso@example.com");
    // stable across runs
    expect(JSON.stringify(toSarif(await verdict()))).toBe(JSON.stringify(log));
  });

  test("JUnit XML parses: one suite per stack, failures/skipped, user data escaped", async () => {
    const v = await verdict();
    const xml = formatJunit(v, stackTypes(resources));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_" }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat();
    expect(suites.map((s: { "@_name": string }) => s["@_name"])).toEqual([
      "acme-prod-security",
      "acme-dev-security",
      "platform-prod-compute",
    ]);
    const prod = suites[0];
    const cases = [prod.testcase].flat();
    const kv = cases.find((c: { "@_classname": string }) => c["@_classname"] === "acme-prod-security.ZT-KV-001");
    expect(kv.failure["@_message"]).toMatch(/2 mandatory violations/);
    expect(
      cases.find((c: { "@_classname": string }) => c["@_classname"] === "acme-prod-security.ZT-NW-001"),
    ).toBeUndefined();
    const plat = [suites[2].testcase].flat();
    expect(
      plat.find((c: { "@_classname": string }) => c["@_classname"] === "platform-prod-compute.ZT-KV-001").skipped[
        "@_message"
      ],
    ).toContain('shared vault <migrating> & "soon"');
    expect(xml).not.toContain("<migrating>");
    expect(Number(doc.testsuites["@_failures"])).toBeGreaterThan(0);
  });

  test("Markdown summary snapshot", async () => {
    expect(formatMarkdown(await verdict())).toMatchSnapshot();
  });

  test("console table grouped by tenant → stack → severity, with summary line", async () => {
    const text = formatConsole(await verdict());
    const lines = text.split("\n");
    expect(lines[0]).toBe("tenant (platform)");
    expect(text.indexOf("tenant acme")).toBeGreaterThan(0);
    expect(text).toMatch(/waiver expired on 2001-01-01/);
    expect(text).toMatch(/unknown until apply/);
    expect(lines[lines.length - 1]).toMatch(
      /^zonegate gate: FAIL — 3 mandatory violations, 1 advisory, 1 waived, 2 expired waivers, 1 rule not evaluated/,
    );
  });

  test("writeReports writes the four files, the HTML page and its history; JSON round-trips", async () => {
    const v = await verdict();
    const out = tmpDir("zg-reports-");
    const files = writeReports(v, ["table", "json", "sarif", "junit", "markdown"], out, resources).map((f) =>
      path.basename(f),
    );
    expect(files).toEqual(["gate.json", "gate.sarif", "gate.junit.xml", "gate.md", "history.jsonl", "index.html"]);
    const json = JSON.parse(formatJson(v));
    expect(json.exitCode).toBe(1);
    expect(json.findings).toHaveLength(v.findings.length);
  });
});

describe("Markdown summary for reviewers", () => {
  test("counts only open findings in the heading, folds the rest, and says where to find everything", async () => {
    const v = await verdict();
    const all = formatMarkdown(v);
    // 4 open findings + 1 waived: all 4 open ones are shown, so no misleading "4 of 5"
    expect(all).toMatch(/^### Findings$/m);
    expect(all).not.toMatch(/of 5\)/);
    expect(all).toMatch(/\| `cdktf\.out\/stacks\/acme-prod-security\/cdk\.tf\.json:12` \|/);
    expect(all).not.toMatch(/unknown until apply \(unknown until apply\)/);
    const two = formatMarkdown(v, { top: 2 });
    expect(two).toMatch(/^### Top findings \(2 of 4\)$/m);
    expect(two).toMatch(/<details><summary>2 more findings<\/summary>/);
    const rows = two.split("\n").filter((l) => /^\| (❌|⚠️) \|/.test(l));
    expect(rows).toHaveLength(4); // every open finding is in the summary, 2 of them folded
  });

  test("a clean estate: no wall of zero rows, every stack folded, singular/plural right", async () => {
    const clean = await gateResources([], false, {
      bundle: fixtureBundleOptions(),
      stacks: [{ name: "solo", kind: "plan" as const, file: "solo.json", tenant: "acme", resources: 0 }],
    });
    const text = formatMarkdown(clean);
    expect(text).toMatch(/— 1 stack, 0 resources/);
    expect(text).toMatch(/No findings in any of the 1 stack\./);
    expect(text).toMatch(/<details><summary>All 1 stack<\/summary>/);
    expect(text).not.toMatch(/### (Top )?[Ff]indings/);
  });
});

describe("SARIF locations outside the repository", () => {
  test("an absolute path becomes a file:// URI without %SRCROOT%; repo paths stay relative", async () => {
    const { artifactLocation } = await import("../../lib/report/sarif");
    expect(artifactLocation("/tmp/plans/a b.json")).toEqual({ uri: "file:///tmp/plans/a%20b.json" });
    expect(artifactLocation("cdktf.out/stacks/x/cdk.tf.json")).toEqual({
      uri: "cdktf.out/stacks/x/cdk.tf.json",
      uriBaseId: "%SRCROOT%",
    });
  });
});
