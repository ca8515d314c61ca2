/**
 * Offboarding declarations: the only way a plan may delete a tenant's protected evidence resources
 * (archive, keys, workspace, export, locks, diagnostic settings, flow logs — policies/zonegate/rules/lc/).
 *
 * `offboarding/<tenant>.yaml`, reviewed and merged like any change:
 *
 *   tenant: acme                      # = the file name
 *   reason: "contract ended (CHG-1234)"
 *   requestedBy: alice@bank.example
 *   approvedBy: bob@bank.example      # a second person
 *   approvedOn: 2026-11-20            # not in the future
 *   retainUntil: 2033-11-20           # end of the WORM immutability period of the tenant's audit archive
 *
 * `--offboarding <tenant>` makes the gate read it; every problem is exit 2 with file:line:column.
 * The archive, its immutability policy, the Key Vault and its keys stay protected until `retainUntil`
 * (ZG-LC-003) even when the offboarding is declared: WORM data is kept until its period ends.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "../gate/errors";
import type { OffboardingInput } from "../gate/model";
import { parseYamlWithPositions, positionOf, YamlProblem } from "../tenant/yaml";

export const OFFBOARDING_DIR = "offboarding";

export interface OffboardingDeclaration {
  readonly tenant: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly approvedOn: string;
  readonly retainUntil: string;
  readonly file: string;
}

const FIELDS = ["tenant", "reason", "requestedBy", "approvedBy", "approvedOn", "retainUntil"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Load and check `<dir>/<tenant>.yaml`. Throws GateError (exit 2) naming file:line:column. */
export function loadOffboarding(tenant: string, dir = OFFBOARDING_DIR, now = new Date()): OffboardingDeclaration {
  if (!/^[a-z][a-z0-9-]{1,19}$/.test(tenant)) throw new GateError(`--offboarding: "${tenant}" is not a tenant id`);
  const file = path.join(dir, `${tenant}.yaml`);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new GateError(
      `--offboarding ${tenant}: no declaration ${file} (a reviewed file with reason, requestedBy, approvedBy, approvedOn, retainUntil; docs/deploying.md)`,
    );
  }
  const text = fs.readFileSync(file, "utf8");
  let doc: unknown;
  let positions: ReturnType<typeof parseYamlWithPositions>["positions"];
  try {
    const parsed = parseYamlWithPositions(text, file);
    if (parsed.documents.length !== 1) throw new YamlProblem("expected exactly one YAML document", 1, 1);
    doc = parsed.documents[0];
    positions = parsed.positions;
  } catch (e) {
    if (e instanceof YamlProblem) throw new GateError(`${file}:${e.line}:${e.column} ${e.message}`);
    throw e;
  }
  const at = (ptr: string) => {
    const p = positionOf(positions, ptr);
    return `${file}:${p.line}:${p.column}`;
  };
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new GateError(`${at("")} expected a mapping`);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!(FIELDS as readonly string[]).includes(k))
      throw new GateError(`${at(`/${k}`)} ${k}: unknown field (expected ${FIELDS.join(", ")})`);
  }
  for (const k of FIELDS) {
    if (typeof d[k] !== "string" || !(d[k] as string).trim())
      throw new GateError(`${at(`/${k}`)} ${k}: required, a non-empty string`);
  }
  const v = d as Record<(typeof FIELDS)[number], string>;
  if (v.tenant !== tenant)
    throw new GateError(`${at("/tenant")} tenant: "${v.tenant}" must equal the file name (${tenant})`);
  if (v.reason.trim().length < 10)
    throw new GateError(`${at("/reason")} reason: at least 10 characters (change id and why)`);
  if (v.approvedBy.trim().toLowerCase() === v.requestedBy.trim().toLowerCase())
    throw new GateError(
      `${at("/approvedBy")} approvedBy: must be someone other than requestedBy (sign-off by a second person)`,
    );
  for (const k of ["approvedOn", "retainUntil"] as const) {
    if (!validDate(v[k])) throw new GateError(`${at(`/${k}`)} ${k}: "${v[k]}" is not a date YYYY-MM-DD`);
  }
  if (v.approvedOn > today(now))
    throw new GateError(`${at("/approvedOn")} approvedOn: ${v.approvedOn} is in the future`);
  if (v.retainUntil < v.approvedOn)
    throw new GateError(`${at("/retainUntil")} retainUntil: ${v.retainUntil} is before approvedOn ${v.approvedOn}`);
  return { ...v, file };
}

/** The gate input for declared offboardings (tenant id → { archive_released, retain_until }). */
export function offboardingInput(
  decls: readonly OffboardingDeclaration[],
  now = new Date(),
): Record<string, OffboardingInput> {
  return Object.fromEntries(
    decls.map((d) => [d.tenant, { archive_released: d.retainUntil <= today(now), retain_until: d.retainUntil }]),
  );
}

/** `--offboarding <tenant…>` (+ `--declarations <dir>`): the gate input, or undefined when none declared. */
export function declaredOffboarding(
  tenants: readonly string[] | undefined,
  dir = OFFBOARDING_DIR,
  now = new Date(),
): Record<string, OffboardingInput> | undefined {
  if (!tenants?.length) return undefined;
  return offboardingInput(
    tenants.map((t) => loadOffboarding(t, dir, now)),
    now,
  );
}
