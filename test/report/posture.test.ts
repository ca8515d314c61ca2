/**
 * The posture report without a browser: counts, PCI DSS requirement list, waiver states, evidence stamp,
 * bounded history, self-containment and escaping, and `zonegate report --from`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../lib/cli/zonegate";
import { appendHistory, readHistory, type HistoryEntry } from "../../lib/report/history";
import { renderHtml, scriptJson } from "../../lib/report/html";
import { inputsDigest } from "../../lib/report/evidence";
import { jsonErrorOffset } from "../../lib/report/json-position";
import {
  compareReqIds,
  evaluationCells,
  FRAMEWORKS,
  loadPciCatalogue,
  pciRequirements,
  ruleFrameworks,
  waiverState,
  type GateDoc,
} from "../../lib/report/posture";
import { REPO, sha256, tmpDir } from "../gate/helpers";
import { NOW, writeFixtureReports } from "./posture-fixture";
import { recount } from "./recount";

let dir: string;
let doc: GateDoc;

beforeAll(async () => {
  dir = tmpDir("zg-posture-");
  await writeFixtureReports(dir);
  doc = JSON.parse(fs.readFileSync(path.join(dir, "gate.json"), "utf8")) as GateDoc;
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("gate.json evidence stamp", () => {
  test("time, commit, versions, bundle and per-input sha256 are recorded and recomputable", () => {
    const ev = doc.evidence!;
    expect(ev.generatedAt).toBe(NOW.toISOString());
    expect(ev.evaluatedOn).toBe("2030-06-01");
    expect(ev.versions.node).toBe(process.version);
    expect(ev.versions.opa).toBe(doc.bundle?.opaVersion);
    expect(ev.bundle.wasmSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ev.inputs.sha256).toBe(inputsDigest(ev.inputs.files));
    expect(ev.inputs.count).toBe(doc.stacks.length);
    const one = doc.stacks[0].file;
    expect(ev.inputs.files[one]).toBe(sha256(fs.readFileSync(path.join(dir, one))));
    expect(ev.waivers.count).toBe(3);
    expect(ev.waivers.sha256).toMatch(/^[0-9a-f]{64}$/);
    // the repo is a git checkout: the commit is the HEAD sha
    expect(ev.commit.sha === null || /^[0-9a-f]{40}$/.test(ev.commit.sha)).toBe(true);
    for (const s of doc.stacks) expect(s.resourceTypes).toBeDefined();
  });
});

describe("heat map counts", () => {
  test("per (tenant, framework) they equal the independent recount from gate.json", () => {
    const cells = evaluationCells(doc);
    const ours = new Map<string, Record<string, number>>();
    for (const c of cells) {
      const rule = doc.rules.find((r) => r.id === c.rule)!;
      for (const fw of ruleFrameworks(rule)) {
        const k = `${c.tenant}|${fw}`;
        const acc = ours.get(k) ?? { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 };
        acc.pass += c.counts.pass;
        acc.violation += c.counts.violation;
        acc.advisory += c.counts.advisory;
        acc.waived += c.counts.waived;
        acc.notevaluated += c.counts.notEvaluated;
        ours.set(k, acc);
      }
    }
    const theirs = recount(doc as never);
    expect(Object.fromEntries([...ours].sort())).toEqual(Object.fromEntries([...theirs].sort()));
    // and the fixture exercises every status
    const all = [...theirs.values()].reduce(
      (a, c) => ({
        pass: a.pass + c.pass,
        violation: a.violation + c.violation,
        advisory: a.advisory + c.advisory,
        waived: a.waived + c.waived,
        notevaluated: a.notevaluated + c.notevaluated,
      }),
      { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 },
    );
    for (const v of Object.values(all)) expect(v).toBeGreaterThan(0);
  });

  test("violations in the cells add up to the findings: one per (rule, resource, framework)", () => {
    const cells = evaluationCells(doc);
    const pciViolations = cells
      .filter((c) => ruleFrameworks(doc.rules.find((r) => r.id === c.rule)!).includes("pci-dss-4.0"))
      .reduce((a, c) => a + c.counts.violation, 0);
    const keys = new Set(
      doc.findings
        .filter((f) => f.status === "violation" && (f.frameworks?.["pci-dss-4.0"] ?? []).length > 0)
        .map((f) => `${f.rule}|${f.key}`),
    );
    expect(pciViolations).toBe(keys.size);
  });
});

describe("PCI DSS v4.0 requirement list", () => {
  const cat = loadPciCatalogue(REPO);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "policies/dist/manifest.json"), "utf8")) as {
    rules: { id: string; frameworks?: Record<string, string[]> }[];
  };

  test("ids are unique, ordered, under the 12 principal requirements (and A1)", () => {
    const ids = cat.requirements.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(compareReqIds)).toEqual(ids);
    const principal = new Set(cat.principal.map((p) => p.id));
    for (const id of ids) expect(principal.has(id.split(".")[0])).toBe(true);
    expect(cat.principal.map((p) => p.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
      "11",
      "12",
      "A1",
    ]);
    expect(ids.length).toBeGreaterThan(200);
  });

  test("every PCI id a rule cites is in the list; uncovered requirements stay listed", () => {
    const known = new Set(cat.requirements.map((r) => r.id));
    const cited = manifest.rules.flatMap((r) => r.frameworks?.["pci-dss-4.0"] ?? []);
    expect(cited.filter((id) => !known.has(id))).toEqual([]);
    const reqs = pciRequirements(doc, cat);
    expect(reqs).toHaveLength(cat.requirements.length);
    expect(reqs.find((q) => q.id === "3.6.1")!.rules).toContain("ZG-KV-001");
    expect(reqs.find((q) => q.id === "9.4.1")!.rules).toEqual([]);
  });
});

describe("waivers", () => {
  test("states: ≤ 30 days expiring, past expiry expired, unmatched unused", () => {
    expect(waiverState("2030-06-11", "2030-06-01", true)).toBe("expiring");
    expect(waiverState("2030-07-01", "2030-06-01", true)).toBe("expiring");
    expect(waiverState("2030-07-02", "2030-06-01", true)).toBe("active");
    expect(waiverState("2030-05-31", "2030-06-01", true)).toBe("expired");
    expect(waiverState("2031-01-01", "2030-06-01", false)).toBe("unused");
  });

  test("the page lists every waiver with approver and days left; the expired one counts as a violation", () => {
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).toMatch(/data-state="expiring"[\s\S]*?>10<\/td>[\s\S]*?ciso@cedar\.example/);
    expect(html).toMatch(/data-state="expired"[\s\S]*?31 days ago[\s\S]*?risk@bolt\.example/);
    const expired = doc.findings.find((f) => f.rule === "ZG-ST-001" && f.tenant === "bolt")!;
    expect(expired.status).toBe("violation");
    expect(expired.waiverExpired).toBe("2030-05-01");
  });
});

describe("self-contained, escaped HTML", () => {
  test("no external resource: every script and style is inline, no http(s) src/href", () => {
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel="?stylesheet/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).toContain("uPlot");
    expect(html).toContain('<script type="application/json" id="zg-data">');
  });

  test("user data cannot break out of the page (waiver reasons, addresses)", () => {
    const evil = "</script><script>window.pwned=1</script><!--";
    const d: GateDoc = JSON.parse(JSON.stringify(doc));
    d.waivers![0].reason = evil;
    d.findings[0].address = evil;
    d.findings[0].message = `<img src=x onerror=alert(1)>`;
    d.stacks[0].name = evil;
    const html = renderHtml(d);
    expect(html).not.toContain("<script>window.pwned");
    expect(html).not.toContain("<img src=x");
    expect(scriptJson({ a: evil })).not.toMatch(/<\/script/i);
  });
});

describe("history.jsonl", () => {
  const entry = (i: number): HistoryEntry => ({
    at: new Date(Date.UTC(2030, 0, 1) + i * 60000).toISOString(),
    commit: null,
    pass: i % 2 === 0,
    violations: i,
    advisories: 0,
    waived: 0,
    expiredWaivers: 0,
    expiringWaivers: 0,
    stacks: 1,
    resources: 1,
    inputsSha256: null,
  });

  test("bounded to the last N runs, damaged lines dropped, no temp file left", () => {
    const d = tmpDir("zg-history-");
    const file = path.join(d, "history.jsonl");
    for (let i = 0; i < 105; i++) appendHistory(file, entry(i));
    let h = readHistory(file);
    expect(h).toHaveLength(100);
    expect(h[0].violations).toBe(5);
    expect(h[99].violations).toBe(104);
    fs.appendFileSync(file, '{"torn": \n');
    h = appendHistory(file, entry(200), 3);
    expect(h.map((e) => e.violations)).toEqual([103, 104, 200]);
    expect(fs.readdirSync(d)).toEqual(["history.jsonl"]);
  });

  test("each gate run appends one entry (the fixture wrote 5 earlier runs + this one)", () => {
    const h = readHistory(path.join(dir, "history.jsonl"));
    expect(h).toHaveLength(6);
    expect(h[5]).toMatchObject({ at: NOW.toISOString(), violations: doc.totals.violations, waived: doc.totals.waived });
  });
});

describe("zonegate report --from gate.json", () => {
  test("renders the same page from gate.json; history read, not appended", async () => {
    const out = path.join(dir, "again.html");
    const before = fs.readFileSync(path.join(dir, "history.jsonl"), "utf8");
    const c = io();
    expect(await main(["report", "--from", path.join(dir, "gate.json"), "--out", out], c.io)).toBe(0);
    expect(c.out.join("\n")).toMatch(/report: .*again\.html \(\d+ findings, 6 stacks\)/);
    expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(path.join(dir, "index.html"), "utf8"));
    expect(fs.readFileSync(path.join(dir, "history.jsonl"), "utf8")).toBe(before);
  });

  test("bad input: one line with file:line:col or the field, exit 2, nothing written", async () => {
    const d = tmpDir("zg-report-bad-");
    const cases: [string, RegExp][] = [
      ['{"tool": "zonegate",\n  "findings": [}', /bad\.json:2:\d+: invalid JSON/],
      ["", /bad\.json:1:1: invalid JSON/],
      ['{\n  "a": [1, 2,,3]\n}', /bad\.json:2:14: invalid JSON: Unexpected token ','$/],
      ['{"tool":"other"}', /bad\.json: not a zonegate gate\.json: field "tool"/],
      [
        '{"tool":"zonegate","findings":[{"rule":1}],"stacks":[],"rules":[],"notEvaluated":[],"unusedWaivers":[],"warnings":[],"pass":true,"totals":{}}',
        /field "findings\[0\]\.rule" must be a string/,
      ],
    ];
    for (const [text, msg] of cases) {
      fs.writeFileSync(path.join(d, "bad.json"), text);
      const c = io();
      expect(await main(["report", "--from", path.join(d, "bad.json")], c.io)).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(msg);
      expect(c.err[0]).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(d, "index.html"))).toBe(false);
    }
    const c = io();
    expect(await main(["report", "--from", path.join(d, "missing.json")], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/missing\.json: no such file/);
  });

  test("frameworks of the heat map are the four the issue names", () => {
    expect(FRAMEWORKS.map((f) => f.label)).toEqual(["PCI DSS v4.0", "GDPR", "SOX", "Residency"]);
  });
});

describe("JSON error positions", () => {
  test("valid JSON → -1; invalid JSON → the offset where it goes wrong", () => {
    for (const ok of ['{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"]}', " [ ] ", '"s"', "0", '{"a":{}}'])
      expect([ok, jsonErrorOffset(ok)]).toEqual([ok, -1]);
    const bad: [string, number][] = [
      ["", 0],
      ["{", 1],
      ['{"a" 1}', 5],
      ["[1,,2]", 3],
      ["[01]", 2],
      ['{"a":1}x', 7],
      ['"\\q"', 2],
      ["tru", 3],
    ];
    for (const [text, at] of bad) {
      expect(() => JSON.parse(text)).toThrow();
      expect([text, jsonErrorOffset(text)]).toEqual([text, at]);
    }
  });
});
