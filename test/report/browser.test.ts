/**
 * The posture report in a real browser: Debian's headless Chromium driven by playwright-core, the page
 * opened from file:// with the network off. Checks the heat map against gate.json, filtering, keyboard
 * use, phone width, axe-core (0 serious/critical), saves screenshots under reports/screenshots/, and times
 * open + filter on a 100-tenant estate (printed, not asserted; `npm run bench:report` records it).
 *
 * Skipped, with a note, where /usr/bin/chromium is missing (install: ZG_INSTALL_CHROMIUM=1 bash
 * scripts/install-tools.sh, as root; .ci/run does).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { generateGateDoc } from "../../scripts/bench/report-gen";
import { renderHtml } from "../../lib/report/html";
import type { GateDoc } from "../../lib/report/posture";
import { REPO, tmpDir } from "../gate/helpers";
import { applyFilter, chromiumAvailable, CHROMIUM, launchChromium, openReport, type Browser } from "../helpers/browser";
import { writeFixtureReports } from "./posture-fixture";
import { recount } from "./recount";

const SHOTS = path.join(REPO, "reports", "screenshots");
const available = chromiumAvailable();
if (!available)
  console.log(
    `report browser tests SKIPPED: ${CHROMIUM} not found (install Debian's chromium: ZG_INSTALL_CHROMIUM=1 bash scripts/install-tools.sh as root)`,
  );
const maybe = available ? describe : describe.skip;

type CellAttrs = Record<string, string>;

async function heatCells(page: Page): Promise<CellAttrs[]> {
  return page.$$eval("#heat [data-tenant][data-fw]", (els) =>
    els.map((e) => {
      const out: Record<string, string> = {};
      for (const a of Array.from(e.attributes)) if (a.name.startsWith("data-")) out[a.name.slice(5)] = a.value;
      return out;
    }),
  );
}

function expected(doc: GateDoc, filter: { env?: string; severity?: string } = {}) {
  const r = recount(doc as never, filter);
  return (tenant: string, fw: string) =>
    r.get(`${tenant}|${fw}`) ?? { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 };
}

function compareCells(cells: CellAttrs[], exp: ReturnType<typeof expected>): void {
  expect(cells.length).toBeGreaterThan(0);
  for (const c of cells) {
    const want = exp(c.tenant, c.fw);
    expect({ cell: `${c.tenant}/${c.fw}`, ...pick(c) }).toEqual({
      cell: `${c.tenant}/${c.fw}`,
      pass: String(want.pass),
      violation: String(want.violation),
      advisory: String(want.advisory),
      waived: String(want.waived),
      notevaluated: String(want.notevaluated),
    });
  }
}

function pick(c: CellAttrs) {
  return {
    pass: c.pass,
    violation: c.violation,
    advisory: c.advisory,
    waived: c.waived,
    notevaluated: c.notevaluated,
  };
}

maybe("posture report in headless Chromium", () => {
  let dir: string;
  let doc: GateDoc;
  let html: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tmpDir("zg-browser-");
    await writeFixtureReports(dir);
    html = path.join(dir, "index.html");
    doc = JSON.parse(fs.readFileSync(path.join(dir, "gate.json"), "utf8")) as GateDoc;
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium({ width: 1280, height: 800 });
    page = await browser.ctx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("opens from file:// without errors or network requests; heat map counts equal gate.json's", async () => {
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("request", (r) => !r.url().startsWith("file://") && !r.url().startsWith("data:") && requests.push(r.url()));
    await openReport(page, html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const cells = await heatCells(page);
    // every tenant × framework cell is there
    const tenants = new Set(doc.stacks.map((s) => s.tenant ?? "(platform)"));
    expect(cells).toHaveLength(tenants.size * 4);
    compareCells(cells, expected(doc));
    expect(await page.textContent(".verdict")).toMatch(/FAIL — \d+ mandatory violations/);
    await page.screenshot({ path: path.join(SHOTS, "report-1280x800.png") });
    await page.screenshot({ path: path.join(SHOTS, "report-1280-full.png"), fullPage: true });
  });

  test("filters: tenant and framework narrow the findings rows; environment re-counts the heat map", async () => {
    await applyFilter(page, "#f-tenant", "bolt");
    const rows = await page.$$eval("#findings-table tbody tr", (els) =>
      els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.getAttribute("data-tenant")),
    );
    const want = doc.findings.filter((f) => f.tenant === "bolt");
    expect(rows).toHaveLength(want.length);
    expect(new Set(rows)).toEqual(new Set(["bolt"]));
    expect(await page.textContent("#findings-count")).toBe(`${want.length} of ${doc.findings.length} findings match`);
    // only bolt's row remains in the heat map
    expect(new Set((await heatCells(page)).map((c) => c.tenant))).toEqual(new Set(["bolt"]));

    await applyFilter(page, "#f-fw", "sox");
    const sox = await page.$$eval("#findings-table tbody tr", (els) =>
      els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.getAttribute("data-rule")),
    );
    const soxRules = new Set(doc.rules.filter((r) => (r.frameworks?.sox ?? []).length > 0).map((r) => r.id));
    expect(sox).toHaveLength(want.filter((f) => soxRules.has(f.rule)).length);
    expect(sox.every((r) => soxRules.has(r!))).toBe(true);
    expect(await page.isVisible("#pci-view >> text=Hidden: the framework filter is sox.")).toBe(true);

    await page.click("#f-reset");
    await page.waitForFunction(
      () => (document.body as unknown as { dataset: { filtered: string } }).dataset.filtered === "false",
    );
    await applyFilter(page, "#f-env", "prod");
    compareCells(await heatCells(page), expected(doc, { env: "prod" }));
    await applyFilter(page, "#f-sev", "high");
    compareCells(await heatCells(page), expected(doc, { env: "prod", severity: "high" }));
    await page.click("#f-reset");
    await page.waitForFunction(
      () => (document.body as unknown as { dataset: { filtered: string } }).dataset.filtered === "false",
    );
  });

  test("keyboard: Tab reaches the filters and the heat-map cells; Enter on a cell lists its findings", async () => {
    await openReport(page, html);
    const focused: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      focused.push(
        await page.evaluate(() => {
          const a = document.activeElement as unknown as { id: string; getAttribute(n: string): string | null } | null;
          return a ? a.id || `${a.getAttribute("data-tenant")}/${a.getAttribute("data-fw")}` : "";
        }),
      );
    }
    expect(focused).toEqual(expect.arrayContaining(["f-tenant", "f-env", "f-sev", "f-fw", "acme/pci-dss-4.0"]));
    await page.focus('#heat a[data-tenant="acme"][data-fw="gdpr"]');
    await page.keyboard.press("Enter");
    expect(await page.inputValue("#f-tenant")).toBe("acme");
    expect(await page.inputValue("#f-fw")).toBe("gdpr");
    expect(await page.evaluate(() => (document.activeElement as unknown as { id: string }).id)).toBe("h-findings");
    const rows = await page.$$eval("#findings-table tbody tr", (els) =>
      els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.getAttribute("data-fw")),
    );
    const gdprRules = new Set(doc.rules.filter((r) => (r.frameworks?.gdpr ?? []).length > 0).map((r) => r.id));
    expect(rows).toHaveLength(doc.findings.filter((f) => f.tenant === "acme" && gdprRules.has(f.rule)).length);
  });

  test("readable at phone width (390 px): no horizontal page scroll; screenshot", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openReport(page, html);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, "report-390x844.png") });
    await page.locator("#findings").screenshot({ path: path.join(SHOTS, "report-390-findings.png") });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test("axe-core: 0 serious or critical accessibility violations (WCAG 2.1 A/AA)", async () => {
    await openReport(page, html);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const result = (await page.evaluate(
      `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })`,
    )) as {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
      passes: unknown[];
    };
    const serious = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")})`);
    const minor = result.violations.filter((v) => !(v.impact === "serious" || v.impact === "critical"));
    console.log(
      `axe-core: ${result.passes.length} rules passed, ${serious.length} serious/critical, ${minor.length} minor/moderate${minor.length ? ` (${minor.map((v) => v.id).join(", ")})` : ""}`,
    );
    expect(serious).toEqual([]);
  });

  test("100-tenant estate: open and filter time (printed, not asserted)", async () => {
    const big = generateGateDoc({ tenants: 100, findingRate: 0.01 });
    const file = path.join(dir, "bench-100.html");
    fs.writeFileSync(file, renderHtml(big));
    const openMs = await openReport(page, file);
    const filterMs = await applyFilter(page, "#f-tenant", "fin042");
    const fwMs = await applyFilter(page, "#f-fw", "pci-dss-4.0");
    const cells = await heatCells(page);
    compareCells(cells, (t, fw) => recount(big as never).get(`${t}|${fw}`)!);
    console.log(
      `report bench: 100 tenants, ${big.stacks.length} stacks, ${big.totals.resources} resources, ${big.findings.length} findings, ` +
        `${(fs.statSync(file).size / 1e6).toFixed(1)} MB html: open ${openMs.toFixed(0)} ms, tenant filter ${filterMs.toFixed(0)} ms, framework filter ${fwMs.toFixed(0)} ms`,
    );
    expect(openMs).toBeGreaterThan(0);
  });
});
