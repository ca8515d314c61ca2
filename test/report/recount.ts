/**
 * The heat map's counts recomputed from gate.json independently of lib/report/posture.ts, by the rule
 * docs/report.md states: one evaluation per (rule, managed resource of the rule's types) plus each
 * (rule, resource) with a finding; status = worst finding, else pass (not evaluated for notEvaluated rules).
 */
type Counts = { pass: number; violation: number; advisory: number; waived: number; notevaluated: number };
interface Doc {
  stacks: { name: string; tenant: string | null; env?: string; resourceTypes?: Record<string, number> }[];
  rules: { id: string; severity: string; resource_types?: string[]; frameworks?: Record<string, string[]> }[];
  findings: {
    rule: string;
    key: string;
    type: string;
    stack: string;
    tenant: string | null;
    env?: string;
    status: string;
  }[];
  notEvaluated: { rule: string }[];
}

const glob = (p: string, t: string) => new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(t);

export function frameworksOfRule(r: Doc["rules"][number]): string[] {
  const out = ["pci-dss-4.0", "gdpr", "sox"].filter((f) => (r.frameworks?.[f] ?? []).length > 0);
  if (/-RES-/.test(r.id)) out.push("residency");
  return out;
}

export function recount(doc: Doc, filter: { env?: string; severity?: string } = {}): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const ne = new Set(doc.notEvaluated.map((n) => n.rule));
  const get = (tenant: string, fw: string) => {
    const k = `${tenant}|${fw}`;
    if (!out.has(k)) out.set(k, { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 });
    return out.get(k)!;
  };
  const rules = doc.rules.filter((r) => !filter.severity || r.severity === filter.severity);
  // per (tenant, env, rule): evaluations of managed resources
  const evals = new Map<string, number>();
  for (const s of doc.stacks) {
    if (filter.env && s.env !== filter.env) continue;
    for (const r of rules)
      for (const [t, n] of Object.entries(s.resourceTypes ?? {}))
        if ((r.resource_types ?? []).some((p) => glob(p, t))) {
          const k = `${s.tenant ?? "(platform)"}|${s.env}|${r.id}`;
          evals.set(k, (evals.get(k) ?? 0) + n);
        }
  }
  const rank: Record<string, number> = { violation: 0, advisory: 1, waived: 2 };
  const worst = new Map<string, Doc["findings"][number]>();
  for (const f of doc.findings) {
    const k = `${f.rule}|${f.key}`;
    if (!worst.has(k) || rank[f.status] < rank[worst.get(k)!.status]) worst.set(k, f);
  }
  const extra = new Map<string, Counts>();
  for (const f of worst.values()) {
    const rule = rules.find((r) => r.id === f.rule);
    if (!rule) continue;
    if (filter.env && f.env !== filter.env) continue;
    const k = `${f.tenant ?? "(platform)"}|${f.env}|${f.rule}`;
    if (!extra.has(k)) extra.set(k, { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 });
    const c = extra.get(k)!;
    c[f.status as "violation"]++;
    if ((rule.resource_types ?? []).some((p) => glob(p, f.type)) && (evals.get(k) ?? 0) + c.pass > 0) c.pass--;
  }
  const keys = new Set([...evals.keys(), ...extra.keys()]);
  for (const k of keys) {
    const [tenant, , ruleId] = k.split("|");
    const rule = rules.find((r) => r.id === ruleId)!;
    const n = evals.get(k) ?? 0;
    const e = extra.get(k) ?? { pass: 0, violation: 0, advisory: 0, waived: 0, notevaluated: 0 };
    for (const fw of frameworksOfRule(rule)) {
      const c = get(tenant, fw);
      if (ne.has(ruleId)) c.notevaluated += n + e.pass;
      else c.pass += n + e.pass;
      c.violation += e.violation;
      c.advisory += e.advisory;
      c.waived += e.waived;
    }
  }
  return out;
}
