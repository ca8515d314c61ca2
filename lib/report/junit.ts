/**
 * JUnit XML: one <testsuite> per stack, one <testcase> per rule × stack for every rule that applies to
 * the stack's resource types (failure = mandatory violations, skipped = waived or not evaluated, advisory
 * findings in system-out). Built with fast-xml-parser's XMLBuilder (escapes all user data).
 */
import { XMLBuilder } from "fast-xml-parser";
import type { Finding, Verdict } from "../gate/verdict";
import type { RuleMeta } from "../gate/catalogue";

function describe(f: Finding): string {
  const notes: string[] = [];
  if (f.unknown) notes.push("unknown until apply");
  if (f.waiverExpired) notes.push(`waiver expired on ${f.waiverExpired}`);
  if (f.waiver) notes.push(`waived: ${f.waiver.reason} (${f.waiver.approver}, until ${f.waiver.expires})`);
  return `${f.address} (${f.file}${f.line ? `:${f.line}` : ""}): ${f.message}${notes.length ? ` [${notes.join("; ")}]` : ""}`;
}

export function toJunitObject(v: Verdict, stackTypes: ReadonlyMap<string, ReadonlySet<string>> = new Map()): unknown {
  const byStack = new Map<string, Finding[]>();
  for (const f of v.findings) {
    const list = byStack.get(f.stack);
    if (list) list.push(f);
    else byStack.set(f.stack, [f]);
  }
  const suites = v.stacks.map((s) => {
    const types = stackTypes.get(s.name);
    const fs = byStack.get(s.name) ?? [];
    const applicable = (r: RuleMeta) =>
      fs.some((f) => f.rule === r.id) ||
      !types ||
      !r.resource_types ||
      r.resource_types.length === 0 ||
      r.resource_types.some((t) => types.has(t));
    const cases = v.rules.filter(applicable).map((r) => {
      const mine = fs.filter((f) => f.rule === r.id);
      const violations = mine.filter((f) => f.status === "violation");
      const waived = mine.filter((f) => f.status === "waived");
      const advisory = mine.filter((f) => f.status === "advisory");
      const ne = v.notEvaluated.find((n) => n.rule === r.id);
      const tc: Record<string, unknown> = {
        "@_name": `${r.id} ${r.title}`,
        "@_classname": `${s.name}.${r.id}`,
        "@_time": "0",
      };
      if (violations.length) {
        tc.failure = {
          "@_message": `${violations.length} mandatory violation${violations.length === 1 ? "" : "s"} of ${r.id}`,
          "@_type": r.severity,
          "#text": violations.map(describe).join("\n") + (r.remediation ? `\nRemediation: ${r.remediation}` : ""),
        };
      } else if (ne) {
        tc.skipped = { "@_message": `not evaluated: ${ne.reason}` };
      } else if (waived.length && !advisory.length) {
        tc.skipped = { "@_message": `waived: ${waived.map(describe).join("; ")}` };
      }
      const out = [...advisory, ...(violations.length ? waived : [])].map((f) => `${f.status}: ${describe(f)}`);
      if (out.length) tc["system-out"] = out.join("\n");
      return tc;
    });
    const failures = cases.filter((c) => c.failure).length;
    const skipped = cases.filter((c) => c.skipped).length;
    return {
      "@_name": s.name,
      "@_tests": String(cases.length),
      "@_failures": String(failures),
      "@_errors": "0",
      "@_skipped": String(skipped),
      "@_time": "0",
      properties: {
        property: [
          { "@_name": "tenant", "@_value": s.tenant ?? "platform" },
          { "@_name": "source", "@_value": s.file },
          { "@_name": "resources", "@_value": String(s.resources) },
        ],
      },
      testcase: cases,
    };
  });
  const tests = suites.reduce((a, s) => a + Number(s["@_tests"]), 0);
  const failures = suites.reduce((a, s) => a + Number(s["@_failures"]), 0);
  const skipped = suites.reduce((a, s) => a + Number(s["@_skipped"]), 0);
  return {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    testsuites: {
      "@_name": "zonegate",
      "@_tests": String(tests),
      "@_failures": String(failures),
      "@_errors": "0",
      "@_skipped": String(skipped),
      testsuite: suites,
    },
  };
}

export function formatJunit(v: Verdict, stackTypes?: ReadonlyMap<string, ReadonlySet<string>>): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  return String(builder.build(toJunitObject(v, stackTypes)));
}
