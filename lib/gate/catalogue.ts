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

/**
 * How the mutation test breaks what a rule protects (`custom.mutations` in a rule's METADATA).
 *
 * - Single attribute: `{ type, path, set: value }`, `{ type, path, delete: true }`, `{ type, path, unknown: true }`.
 * - Several attributes at once (a violation that needs them together, e.g. an NSG rule that is Allow +
 *   Inbound + from the internet + port 22): no `path`; `set: { <path>: value, … }`, `delete: [paths]`,
 *   `unknown: [paths]` (any combination).
 * - `where: { <dotted path from the resource model root, e.g. values.x, tenant.env, context.env>: value }`
 *   picks the first resource of `type` that matches (an array matches when it contains the value).
 * - `add: { <values> }` adds a new resource of `type` (for a type the estate does not have) to the stack of the
 *   first resource matching `where` (any type), then applies set/delete/unknown to it.
 */
export interface Mutation {
  readonly type: string;
  readonly path?: string;
  readonly set?: unknown;
  readonly delete?: boolean | readonly string[];
  readonly unknown?: boolean | readonly string[];
  readonly where?: Readonly<Record<string, unknown>>;
  readonly add?: Readonly<Record<string, unknown>>;
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
