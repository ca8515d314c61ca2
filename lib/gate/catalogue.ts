/**
 * The rule catalogue as `scripts/build-policies.ts` writes it into `policies/dist/manifest.json`
 * (one entry per rule, from each rule's `# METADATA`).
 */
export type Severity = "critical" | "high" | "medium" | "low";
export type EnforcementLevel = "mandatory" | "advisory";
export type Enforcement =
  | EnforcementLevel
  | {
      readonly default?: EnforcementLevel;
      readonly dev?: EnforcementLevel;
      readonly staging?: EnforcementLevel;
      readonly prod?: EnforcementLevel;
    };

export interface Mutation {
  readonly type: string;
  readonly path: string;
  readonly set?: unknown;
  readonly delete?: boolean;
  readonly unknown?: boolean;
}

export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  readonly frameworks?: Readonly<Record<string, readonly string[]>>;
  readonly enforcement: Enforcement;
  readonly remediation?: string;
  readonly construct?: string;
  readonly peers?: Readonly<Record<string, readonly string[]>>;
  readonly resource_types?: readonly string[];
  /** `estate` rules need the whole estate (input.complete); default `resource`. */
  readonly scope?: "resource" | "estate" | string;
  readonly stricter_than_peers?: string;
  readonly mutations?: readonly Mutation[];
  readonly file?: string;
  readonly package?: string;
}

export interface Manifest {
  readonly opaVersion?: string;
  readonly entrypoints?: unknown;
  readonly sources: Readonly<Record<string, string>>;
  readonly wasmSha256: string;
  readonly dataSha256: string;
  readonly rules: readonly RuleMeta[];
}

export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

export function severityRank(s: string): number {
  const i = SEVERITY_ORDER.indexOf(s as Severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

/** Effective enforcement of a rule in an environment (unknown env → the rule's default, else mandatory). */
export function enforcementFor(e: Enforcement | undefined, env: string | undefined): EnforcementLevel {
  if (e === "advisory" || e === "mandatory") return e;
  if (e && typeof e === "object") {
    const byEnv = env ? (e as Record<string, EnforcementLevel | undefined>)[env] : undefined;
    const level = byEnv ?? e.default;
    if (level === "advisory" || level === "mandatory") return level;
  }
  return "mandatory";
}

/** True when the rule is mandatory in at least one environment. */
export function everMandatory(e: Enforcement | undefined): boolean {
  if (e === "advisory") return false;
  if (e && typeof e === "object") {
    const levels = Object.values(e);
    return levels.length === 0 || levels.includes("mandatory") || e.default === undefined;
  }
  return true;
}
