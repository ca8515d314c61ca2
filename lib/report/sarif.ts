/**
 * SARIF 2.1.0 report for GitHub code scanning: rules from the catalogue (descriptions, help with
 * remediation and frameworks, tags, `security-severity`), results with physical locations (the
 * cdk.tf.json / plan / .tf file, repo-relative, and the resource's line) and logical locations (construct
 * path / address), stable partial fingerprints, suppressions for waived findings.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Verdict } from "../gate/verdict";
import type { RuleMeta, Severity } from "../gate/catalogue";
import { everMandatory } from "../gate/catalogue";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const SRCROOT = "%SRCROOT%";

/** GitHub ranks security-severity: ≥9 critical, 7–8.9 high, 4–6.9 medium, <4 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function frameworksText(fw: RuleMeta["frameworks"]): string[] {
  return Object.entries(fw ?? {}).map(([k, v]) => (v.length ? `${k}: ${v.join(", ")}` : k));
}

function ruleDescriptor(r: RuleMeta): ReportingDescriptor {
  const fw = frameworksText(r.frameworks);
  const enforcement = typeof r.enforcement === "string" ? r.enforcement : JSON.stringify(r.enforcement);
  const text = [
    r.description ?? r.title,
    r.remediation ? `Remediation: ${r.remediation}` : "",
    fw.length ? `Frameworks: ${fw.join("; ")}` : "",
    `Enforcement: ${enforcement}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const markdown = [
    `**${r.title}** (${r.id}, ${r.severity})`,
    r.description ?? "",
    r.remediation ? `**Remediation:** ${r.remediation}` : "",
    r.construct ? `**Construct:** \`${r.construct}\`` : "",
    fw.length ? `**Frameworks:**\n${fw.map((f) => `- ${f}`).join("\n")}` : "",
    `**Enforcement:** ${enforcement}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const tags = ["security", ...Object.keys(r.frameworks ?? {})];
  return {
    id: r.id,
    name: r.id.replace(/[^A-Za-z0-9]/g, ""),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description ?? r.title },
    help: { text, markdown },
    defaultConfiguration: { level: everMandatory(r.enforcement) ? "error" : "warning" },
    properties: {
      tags,
      "security-severity": SECURITY_SEVERITY[r.severity] ?? "5.0",
      precision: "high",
      severity: r.severity,
      ...(r.peers ? { peers: r.peers } : {}),
    },
  };
}

/**
 * A SARIF artifactLocation: repo-relative paths against %SRCROOT% (what code scanning maps to files);
 * a path outside the repo (shown absolute) as a file:// URI — a bare "/tmp/x" is not a valid SARIF uri.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: encodeURI(file), uriBaseId: SRCROOT };
}

export function fingerprint(f: Pick<Finding, "rule" | "key">): string {
  return createHash("sha256").update(`${f.rule}\0${f.key}`).digest("hex").slice(0, 32);
}

function result(f: Finding, ruleIndex: number): Result {
  const notes: string[] = [];
  if (f.unknown) notes.push("value unknown until apply");
  if (f.waiverExpired) notes.push(`waiver expired on ${f.waiverExpired}`);
  const logicalName = f.constructPath ?? f.address;
  return {
    ruleId: f.rule,
    ruleIndex,
    level: f.status === "violation" ? "error" : f.status === "advisory" ? "warning" : "note",
    kind: "fail",
    message: {
      text: `${f.message} — ${f.address} in stack ${f.stack}${notes.length ? ` (${notes.join("; ")})` : ""}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file),
          region: { startLine: f.line ?? 1 },
        },
        logicalLocations: [
          { name: logicalName, fullyQualifiedName: `${f.stack}/${logicalName}`, kind: "resource" },
          { name: f.address, fullyQualifiedName: f.key, kind: "resource" },
        ],
      },
    ],
    partialFingerprints: { "zonegateFinding/v1": fingerprint(f) },
    ...(f.waiver
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: `${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})`,
              location: {
                physicalLocation: {
                  artifactLocation: artifactLocation(f.waiver.file),
                  region: { startLine: f.waiver.line },
                },
              },
            },
          ],
        }
      : {}),
    properties: {
      severity: f.severity,
      enforcement: f.enforcement,
      status: f.status,
      tenant: f.tenant,
      stack: f.stack,
      ...(f.env ? { env: f.env } : {}),
    },
  };
}

export function toSarif(v: Verdict, opts: { version?: string } = {}): Log {
  const index = new Map(v.rules.map((r, i) => [r.id, i]));
  const rules = v.rules.map(ruleDescriptor);
  // Rules missing from the catalogue still need a descriptor so ruleIndex stays valid.
  for (const f of v.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, rules.length);
      rules.push(ruleDescriptor({ id: f.rule, title: f.title, severity: f.severity, enforcement: f.enforcement }));
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "zonegate",
            informationUri: "https://github.com/zonegate/zonegate",
            semanticVersion: opts.version ?? "0.1.0",
            rules,
          },
        },
        automationDetails: { id: "zonegate/gate/" },
        columnKind: "unicodeCodePoints",
        results: v.findings.map((f) => result(f, index.get(f.rule)!)),
        invocations: [
          {
            executionSuccessful: true,
            exitCode: v.exitCode,
            ...(v.notEvaluated.length || v.warnings.length
              ? {
                  toolExecutionNotifications: [
                    ...v.notEvaluated.map((n) => ({
                      level: "note" as const,
                      message: { text: `${n.rule} not evaluated: ${n.reason}` },
                      descriptor: { id: n.rule },
                    })),
                    ...v.warnings.map((w) => ({ level: "warning" as const, message: { text: w } })),
                  ],
                }
              : {}),
          },
        ],
      },
    ],
  };
}

export function formatSarif(v: Verdict): string {
  return `${JSON.stringify(toSarif(v), null, 2)}\n`;
}
