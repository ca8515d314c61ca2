/**
 * reports/index.html: the posture report — one self-contained page (inline CSS, JS and the uPlot chart
 * library; no network) rendered with the Eta template `report.eta` from gate.json and reports/history.jsonl.
 *
 * The server side (this file) prepares rows and the compact data the page's script (`client.js`) filters:
 * evaluation counts per (tenant, environment, rule) for the heat map and the PCI DSS requirement view, which
 * the script re-sums for every filter; findings and waivers are rendered here and only shown/hidden there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Eta } from "eta";
import { waiverMatches } from "../../gate/waivers";
import type { HistoryEntry } from "../history";
import { PKG_ROOT } from "../../pkg-root";
import {
  daysUntil,
  evaluationCells,
  FRAMEWORKS,
  loadPciCatalogue,
  NO_ENV,
  pciRequirements,
  PLATFORM,
  principalOf,
  ruleFrameworks,
  STATUSES,
  waiverState,
  type GateDoc,
  type GateFinding,
  type PciCatalogue,
} from "../posture";

/** The template and its assets (not compiled: read from the sources in the package, also by dist/). */
const HERE = path.join(PKG_ROOT, "lib", "report", "html");
const SEVERITIES = ["critical", "high", "medium", "low"];

function moduleFile(spec: string): string {
  return fs.readFileSync(require.resolve(spec), "utf8");
}

/** JSON safe inside <script type="application/json">: no `</script`, no `<!--`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** An inline <script>/<style> body must not close its element early. */
function inlineAsset(text: string, tag: "script" | "style"): string {
  return text.replace(new RegExp(`</${tag}`, "gi"), `<\\/${tag}`);
}

/** Anchor id of a rule in docs/policies.md (`<a id="zg-kv-001">`). */
export function docAnchor(ruleId: string): string {
  return ruleId.toLowerCase();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export interface HtmlOptions {
  readonly history?: readonly HistoryEntry[];
  readonly pci?: PciCatalogue;
  /** Title line (default: "zonegate posture"). */
  readonly title?: string;
}

const FINDING_STATUS = ["violation", "advisory", "waived"] as const;

/**
 * Findings as compact rows for the page script (which draws only the filtered page of them): one array
 * per finding, strings shared through the tenants/envs/stacks/rules tables.
 */
function compactFindings(
  doc: GateDoc,
  idx: { rule: Map<string, number>; tenant: Map<string, number>; env: Map<string, number> },
  stacks: string[],
): unknown[][] {
  const stackIdx = new Map<string, number>();
  const stackOf = new Map(doc.stacks.map((s) => [s.name, s]));
  return doc.findings.map((f: GateFinding) => {
    const st = stackOf.get(f.stack);
    let si = stackIdx.get(f.stack);
    if (si === undefined) {
      si = stacks.push(f.stack) - 1;
      stackIdx.set(f.stack, si);
    }
    const w = f.waiver ? `Waived by ${f.waiver.approver} until ${f.waiver.expires}: ${f.waiver.reason}` : "";
    return [
      FINDING_STATUS.indexOf(f.status),
      idx.rule.get(f.rule) ?? -1,
      idx.tenant.get(f.tenant ?? st?.tenant ?? PLATFORM) ?? -1,
      idx.env.get(f.env ?? st?.env ?? NO_ENV) ?? -1,
      si,
      f.address,
      f.type,
      f.line ? `${f.file}:${f.line}` : f.file,
      f.constructPath ?? "",
      f.message,
      f.unknown ? 1 : 0,
      f.waiverExpired ?? "",
      w,
      f.severity,
      f.rule,
    ];
  });
}

/** The report page for a gate.json document. */
export function renderHtml(doc: GateDoc, opts: HtmlOptions = {}): string {
  const pci = opts.pci ?? loadPciCatalogue();
  const history = [...(opts.history ?? [])];
  const ev = doc.evidence;
  const base = ev?.sourceBase ?? "../";
  const day = ev?.evaluatedOn ?? new Date().toISOString().slice(0, 10);
  const rules = [...doc.rules].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIdx = new Map(rules.map((r, i) => [r.id, i]));
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const fwOf = new Map(rules.map((r) => [r.id, ruleFrameworks(r)]));
  const cells = evaluationCells(doc);

  const tenantSet = new Set<string>();
  const envSet = new Set<string>();
  for (const s of doc.stacks) {
    tenantSet.add(s.tenant ?? PLATFORM);
    envSet.add(s.env ?? NO_ENV);
  }
  for (const c of cells) {
    tenantSet.add(c.tenant);
    envSet.add(c.env);
  }
  const tenants = [...tenantSet].sort((a, b) => (a === PLATFORM ? 1 : b === PLATFORM ? -1 : a.localeCompare(b)));
  const envOrder = ["dev", "staging", "prod"];
  const envs = [...envSet].sort(
    (a, b) => (envOrder.indexOf(a) + 1 || 99) - (envOrder.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const tIdx = new Map(tenants.map((t, i) => [t, i]));
  const eIdx = new Map(envs.map((e, i) => [e, i]));

  const reqs = pciRequirements(doc, pci);
  const findingStacks: string[] = [];
  const data = {
    tenants,
    envs,
    frameworks: FRAMEWORKS.map((f) => ({ id: f.id, label: f.label })),
    statuses: STATUSES,
    rules: rules.map((r) => ({
      id: r.id,
      title: r.title,
      sev: r.severity,
      fws: (fwOf.get(r.id) ?? []).map((f) => FRAMEWORKS.findIndex((x) => x.id === f)),
      href: base + (r.file ?? ""),
      doc: `${base}docs/policies.md#${docAnchor(r.id)}`,
      fix: r.remediation ?? "",
      construct: r.construct ?? "",
    })),
    base,
    stacks: findingStacks,
    findings: compactFindings(doc, { rule: ruleIdx, tenant: tIdx, env: eIdx }, findingStacks),
    cells: cells.map((c) => [
      tIdx.get(c.tenant)!,
      eIdx.get(c.env)!,
      ruleIdx.get(c.rule) ?? -1,
      ...STATUSES.map((s) => c.counts[s]),
    ]),
    pci: {
      principal: pci.principal,
      reqs: reqs.map((q) => ({
        id: q.id,
        t: q.title,
        p: principalOf(q.id),
        r: q.rules.map((id) => ruleIdx.get(id) ?? -1),
      })),
    },
    history: history.map((h) => ({
      at: h.at,
      v: h.violations,
      w: h.waived,
      a: h.advisories,
      x: h.expiredWaivers,
      s: h.expiringWaivers,
    })),
  };

  const waivers = (doc.waivers ?? []).map((w, i) => {
    const matched = doc.findings.filter((f) =>
      waiverMatches({ ...w }, { rule: f.rule, address: f.address, key: f.key, tenant: f.tenant }),
    );
    const state = waiverState(w.expires, day, matched.length > 0);
    const rule = ruleById.get(w.rule);
    return {
      id: `w${i + 1}`,
      w,
      state,
      days: daysUntil(w.expires, day),
      findings: matched.length,
      sev: rule?.severity ?? "",
      fws: (fwOf.get(w.rule) ?? []).join(" "),
      tenant: w.tenant === "platform" ? PLATFORM : w.tenant,
      ruleHref: base + (rule?.file ?? ""),
    };
  });

  const t = doc.totals;
  const verdictLine = doc.pass
    ? `PASS — ${plural(t.violations ?? 0, "mandatory violation")}, ${t.advisories ?? 0} advisory, ${t.waived ?? 0} waived`
    : `FAIL — ${plural(t.violations ?? 0, "mandatory violation")}, ${t.advisories ?? 0} advisory, ${t.waived ?? 0} waived`;

  const eta = new Eta({ views: HERE, autoEscape: true, cache: false, useWith: false });
  return eta.render("./report", {
    title: opts.title ?? "zonegate posture",
    doc,
    ev,
    day,
    verdictLine,
    tenants,
    envs,
    severities: SEVERITIES,
    frameworks: FRAMEWORKS,
    findingCount: doc.findings.length,
    waivers,
    history,
    plural,
    notCovered: reqs.filter((q) => q.rules.length === 0).length,
    reqCount: reqs.length,
    css: inlineAsset(fs.readFileSync(path.join(HERE, "style.css"), "utf8"), "style"),
    uplotCss: inlineAsset(moduleFile("uplot/dist/uPlot.min.css"), "style"),
    uplotJs: inlineAsset(moduleFile("uplot/dist/uPlot.iife.min.js"), "script"),
    clientJs: inlineAsset(fs.readFileSync(path.join(HERE, "client.js"), "utf8"), "script"),
    dataJson: scriptJson(data),
  });
}
