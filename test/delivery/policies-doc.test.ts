import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatEnforcement, naturalCompare, renderPoliciesDoc, ruleLayout } from "../../lib/delivery/policies-doc";
import { main } from "../../scripts/gen-docs";

const FIXTURE = join(__dirname, "fixtures", "manifest.json");
const manifest = () => JSON.parse(readFileSync(FIXTURE, "utf8"));

function quiet<T>(f: () => T): { value: T; err: string } {
  let err = "";
  const l = jest.spyOn(console, "log").mockImplementation(() => undefined);
  const e = jest.spyOn(console, "error").mockImplementation((s) => void (err += `${s}\n`));
  try {
    return { value: f(), err };
  } finally {
    l.mockRestore();
    e.mockRestore();
  }
}

describe("renderPoliciesDoc", () => {
  const doc = renderPoliciesDoc(manifest());

  it("summarises counts by framework and severity", () => {
    expect(doc).toContain("| framework | critical | high | medium | low | total |");
    expect(doc).toContain("| PCI DSS v4.0 | 1 | 1 | 1 | 0 | 3 |");
    expect(doc).toContain("| GDPR | 1 | 1 | 0 | 0 | 2 |");
    expect(doc).toContain("| SOX | 0 | 0 | 1 | 0 | 1 |");
    expect(doc).toContain("| no framework | 0 | 0 | 0 | 1 | 1 |");
    expect(doc).toContain("| **all rules** | 1 | 1 | 1 | 1 | 4 |");
    expect(doc).toContain("Enforcement: 1 advisory · 2 mandatory · 1 per environment.");
  });

  it("renders the catalogue sorted by id with links to rule, construct and both tests", () => {
    const catalogue = doc.slice(doc.indexOf("## Catalogue"), doc.indexOf("## Constructs"));
    const rows = catalogue.split("\n").filter((l) => /^\| \[ZG-/.test(l));
    expect(rows.map((r) => r.slice(3, 13))).toEqual(["ZG-KV-001]", "ZG-LA-010]", "ZG-ST-002]", "ZG-TAG-001"]);
    expect(rows[0]).toBe(
      "| [ZG-KV-001](../policies/zonegate/rules/kv/purge_protection/purge_protection.rego) | " +
        "Key Vault has purge protection enabled | high | " +
        "PCI 3.6.1, 3.7.4 · GDPR 32 | mandatory | checkov: CKV_AZURE_110; trivy: AVD-AZU-0016 | " +
        "[constructs/key-vault.ts](../constructs/key-vault.ts) | " +
        "[purge_protection_test.rego](../policies/zonegate/rules/kv/purge_protection/purge_protection_test.rego) · " +
        "[key-vault.test.ts](../test/constructs/key-vault.test.ts) |",
    );
    expect(rows[1]).toContain(
      "[ZG-LA-010](../policies/zonegate/rules/la/flow_logs/flow_logs.rego) | Every VNet has a flow log (estate scope)",
    );
    // no construct → no construct test
    expect(rows[1]).toMatch(/\| — \| \[flow_logs_test\.rego\]\([^)]+\) \|$/);
    expect(rows[2]).toContain(
      "| mandatory (dev: advisory) | checkov: CKV2_AZURE_33, CKV_AZURE_59; trivy: AVD-AZU-0012 |",
    );
    expect(rows[3]).toContain("| — | mandatory | — | — |");
  });

  it("indexes PCI DSS requirements in natural order, and GDPR and SOX", () => {
    const pci = doc.slice(doc.indexOf("## PCI DSS v4.0: requirement → rules"), doc.indexOf("## GDPR"));
    expect(pci.split("\n").filter((l) => /^\| \d/.test(l))).toEqual([
      "| 1.3.1 | [ZG-ST-002](#zg-st-002) |",
      "| 1.4.1 | [ZG-ST-002](#zg-st-002) |",
      "| 3.6.1 | [ZG-KV-001](#zg-kv-001) |",
      "| 3.7.4 | [ZG-KV-001](#zg-kv-001) |",
      "| 10.2.1 | [ZG-LA-010](#zg-la-010) |",
    ]);
    expect(doc).toContain("## GDPR: article → rules");
    expect(doc).toContain("| 32 | [ZG-KV-001](#zg-kv-001), [ZG-ST-002](#zg-st-002) |");
    expect(doc).toContain("## SOX: control → rules");
    expect(doc).toContain("| ITGC-LOG-1 | [ZG-LA-010](#zg-la-010) |");
  });

  it("describes the rule layout from the rule files, whatever it is", () => {
    expect(doc).toContain(
      "4 rules. Each rule lives in `policies/zonegate/rules/<service>/<slug>/<slug>.rego` " +
        "(package `zonegate.rules.<service>.<slug>`) with its tests in `<slug>_test.rego` beside it;",
    );
    const m = manifest();
    // the layout before: policies/rules/<area>/<slug>.rego, areas not named after the id prefix
    const flat = (dir: (id: string) => string) =>
      m.rules.map((r: { id: string; file: string }) => ({
        ...r,
        file: `policies/rules/${dir(r.id)}/${r.file.split("/").pop()}`,
        package: undefined,
      }));
    expect(ruleLayout(flat((id) => `area-${id.length}`))).toBe("`policies/rules/<area>/<slug>.rego`");
    expect(ruleLayout(flat((id) => id.split("-")[1].toLowerCase()))).toBe("`policies/rules/<service>/<slug>.rego`");
    expect(ruleLayout(m.rules.slice(1, 2))).toBe(
      "`policies/zonegate/rules/<service>/<slug>/<slug>.rego` (package `zonegate.rules.<service>.<slug>`)",
    );
    const mixed = [
      { ...m.rules[0], file: "policies/x/a.rego" },
      { ...m.rules[1], file: "policies/y/z/b.rego" },
    ];
    expect(ruleLayout(mixed)).toBe("`policies/…/<slug>.rego`");
  });

  it("links every rule's section to its rule, Rego test, construct and construct test", () => {
    const section = doc.slice(doc.indexOf('<a id="zg-kv-001"></a>'), doc.indexOf('<a id="zg-la-010"></a>'));
    expect(section).toContain(
      "- **Source:** rule [policies/zonegate/rules/kv/purge_protection/purge_protection.rego]" +
        "(../policies/zonegate/rules/kv/purge_protection/purge_protection.rego) · " +
        "tests [policies/zonegate/rules/kv/purge_protection/purge_protection_test.rego]" +
        "(../policies/zonegate/rules/kv/purge_protection/purge_protection_test.rego) · " +
        "construct [constructs/key-vault.ts](../constructs/key-vault.ts) · " +
        "construct tests [test/constructs/key-vault.test.ts](../test/constructs/key-vault.test.ts)",
    );
  });

  it("lists each construct with its test and the rules it satisfies", () => {
    const section = doc.slice(doc.indexOf("## Constructs"), doc.indexOf("## PCI DSS v4.0: requirement"));
    expect(section.split("\n").filter((l) => l.startsWith("| ["))).toEqual([
      "| [constructs/key-vault.ts](../constructs/key-vault.ts) | " +
        "[key-vault.test.ts](../test/constructs/key-vault.test.ts) | [ZG-KV-001](#zg-kv-001) |",
      "| [constructs/storage.ts](../constructs/storage.ts) | " +
        "[storage.test.ts](../test/constructs/storage.test.ts) | [ZG-ST-002](#zg-st-002) |",
    ]);
  });

  it("details remediation per rule and escapes table cells", () => {
    expect(doc).toContain('<a id="zg-kv-001"></a>\n\n### ZG-KV-001 — Key Vault has purge protection enabled');
    expect(doc).toContain("- **Remediation:** Set purge_protection_enabled = true.");
    expect(doc).toContain("- **Stricter than peers:** Checkov passes");
    expect(doc).toContain("Public endpoints expose cardholder data | to the internet.");
    expect(doc).toContain("- **Remediation:** —");
    expect(doc.endsWith("\n")).toBe(true);
    expect(doc.endsWith("\n\n")).toBe(false);
  });

  it("is deterministic regardless of rule and key order", () => {
    const m = manifest();
    m.rules.reverse();
    m.rules[0].frameworks = { sox: m.rules[0].frameworks.sox, "pci-dss-4.0": m.rules[0].frameworks["pci-dss-4.0"] };
    expect(renderPoliciesDoc(m)).toBe(doc);
  });

  it("rejects a malformed manifest", () => {
    expect(() => renderPoliciesDoc({})).toThrow(/rules\[\]/);
    expect(() => renderPoliciesDoc({ rules: [{ id: "X", title: "t", severity: "low" }] })).toThrow(
      /rules\[0\] has no file/,
    );
    const dup = manifest();
    dup.rules.push(dup.rules[0]);
    expect(() => renderPoliciesDoc(dup)).toThrow(/twice/);
  });

  it("formats enforcement and sorts naturally", () => {
    expect(formatEnforcement(undefined)).toBe("mandatory");
    expect(formatEnforcement({ default: "advisory", prod: "mandatory", staging: "mandatory" })).toBe(
      "advisory (staging: mandatory, prod: mandatory)",
    );
    expect(["10.2.1", "3.10", "3.5.1", "A1.2"].sort(naturalCompare)).toEqual(["3.5.1", "3.10", "10.2.1", "A1.2"]);
  });
});

describe("gen-docs CLI", () => {
  it("writes the doc and --check passes, then fails with a message when stale", () => {
    const dir = mkdtempSync(join(tmpdir(), "zg-docs-"));
    const out = join(dir, "policies.md");
    expect(quiet(() => main(["--manifest", FIXTURE, "--out", out])).value).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(renderPoliciesDoc(manifest()));
    expect(quiet(() => main(["--check", "--manifest", FIXTURE, "--out", out])).value).toBe(0);

    writeFileSync(out, readFileSync(out, "utf8").replace("ZG-KV-001", "ZG-KV-999"));
    const stale = quiet(() => main(["--check", "--manifest", FIXTURE, "--out", out]));
    expect(stale.value).toBe(1);
    expect(stale.err).toMatch(/is stale: it differs .*line \d+.*Run `npm run docs`/);

    const missing = quiet(() => main(["--check", "--manifest", FIXTURE, "--out", join(dir, "nope.md")]));
    expect(missing.value).toBe(1);
    expect(missing.err).toContain("does not exist");
  });

  it("exits 2 without a manifest", () => {
    const r = quiet(() => main(["--manifest", "/nonexistent/manifest.json", "--out", "/tmp/x.md"]));
    expect(r.value).toBe(2);
    expect(r.err).toContain("npm run policies:build");
  });
});

describe("PCI DSS coverage section", () => {
  it("maps each requirement to its rules and their constructs, then lists what IaC cannot check", () => {
    const doc = renderPoliciesDoc(manifest());
    const section = doc.slice(doc.indexOf("## PCI DSS v4.0 coverage"), doc.indexOf("## Catalogue"));
    expect(section).toContain("| requirement | rules | constructs |");
    expect(section).toMatch(
      /\| 3\.6\.1 \| \[ZG-KV-001\]\(#zg-kv-001\) \| \[[a-z-]+\.ts\]\(\.\.\/constructs\/[a-z-]+\.ts\) \|/,
    );
    expect(section).toContain("### Not checkable from infrastructure code");
    expect(section).toMatch(/\| 9\.1\.1 \| physical access controls/);
  });

  it("reaches rule, both tests and construct from a requirement in two hops (requirement → rule section)", () => {
    const real = JSON.parse(readFileSync(join(__dirname, "../../policies/dist/manifest.json"), "utf8"));
    const full = renderPoliciesDoc(real);
    const coverage = full.slice(full.indexOf("## PCI DSS v4.0 coverage"), full.indexOf("### Not checkable"));
    const rows = coverage.split("\n").filter((l) => /^\| \d+(\.\d+)+ \| \[ZG-/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    let constructs = 0;
    for (const row of rows) {
      for (const [, id, anchor] of row.matchAll(/\[(ZG-[A-Z0-9]+-\d+)\]\(#([a-z0-9-]+)\)/g)) {
        const at = full.indexOf(`<a id="${anchor}"></a>`);
        expect(at).toBeGreaterThan(0);
        const next = full.indexOf("\n<a id=", at + 1);
        const section = full.slice(at, next < 0 ? undefined : next);
        const rule = real.rules.find((r: { id: string }) => r.id === id);
        expect(section).toContain(`rule [${rule.file}](../${rule.file})`);
        expect(section).toContain(`(../${rule.file.replace(/\.rego$/, "_test.rego")})`);
        if (rule.construct?.startsWith("constructs/")) {
          constructs++;
          const name = rule.construct.slice("constructs/".length, -".ts".length);
          expect(section).toContain(`construct [${rule.construct}](../${rule.construct})`);
          expect(section).toContain(
            `construct tests [test/constructs/${name}.test.ts](../test/constructs/${name}.test.ts)`,
          );
        }
      }
    }
    expect(constructs).toBeGreaterThan(0);
  });

  it("a requirement a rule checks is not listed as not checkable", () => {
    const m = manifest();
    m.rules[0].frameworks = { "pci-dss-4.0": ["9.1.1"] };
    const doc = renderPoliciesDoc(m);
    const notCheckable = doc.slice(doc.indexOf("### Not checkable"), doc.indexOf("## Catalogue"));
    expect(notCheckable).not.toContain("| 9.1.1 |");
  });

  it("the committed rule library covers at least 40 requirement ids", () => {
    const real = JSON.parse(readFileSync(join(__dirname, "../../policies/dist/manifest.json"), "utf8"));
    const doc = renderPoliciesDoc(real);
    const section = doc.slice(doc.indexOf("## PCI DSS v4.0 coverage"), doc.indexOf("### Not checkable"));
    const rows = section.split("\n").filter((l) => /^\| \d+(\.\d+)+ \| \[ZG-/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const id of ["5.2.1", "6.4.2", "1.3.2", "10.2.1", "10.4.1", "11.5.1", "7.2.5", "12.10.1"]) {
      expect(rows.some((r) => r.startsWith(`| ${id} |`))).toBe(true);
    }
  });
});
