/**
 * The approved-services catalogue, `policies/data/services.json` (read by the rules as `data.services`,
 * `data.services_data_sources` and `data.services_denied`; see policies/zonegate/lib/catalogue/catalogue.rego).
 *
 * - `services`: resource type → entry. A managed resource whose type is not here is a mandatory finding
 *   (ZG-CAT-001 in prod or an unknown environment, ZG-CAT-002 elsewhere).
 * - `services_data_sources`: data source type → note. Other data sources are findings too.
 * - `services_denied`: type → reason (ARM template deployments, arbitrary ARM actions, plan-time programs):
 *   ZG-CAT-004. Approving one is a reviewed change of this file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RuleMeta } from "./catalogue";

export type CardholderData = "stores" | "moves" | "none";

export interface ServiceEntry {
  /** Terraform provider short name (`azurerm`, `kubernetes`, `helm`, `random`, `time`, `terraform`, `azapi`). */
  readonly provider: string;
  /** Ids of the rules that judge this type (besides the catalogue rules, which judge every type). */
  readonly rules: readonly string[];
  /**
   * Dotted paths of the attributes that carry a data location (checked by ZG-RES-001): `*` visits every
   * block of a list, e.g. `geo_location.*.location`. Empty for types located by their parent.
   */
  readonly location_paths: readonly string[];
  /** True when `global` (or no location) is the type's normal location. */
  readonly global: boolean;
  /** Residency zones the service may be used in: `*` (every zone) or an explicit list (required when global). */
  readonly zones: "*" | readonly string[];
  readonly cardholder_data: CardholderData;
  readonly note?: string;
  /** ARM resource type (`Microsoft.KeyVault/vaults`) an azapi resource of this type is judged as. */
  readonly arm_type?: string;
  /** Location paths inside an azapi body for this ARM type (relative to `body`). */
  readonly arm_location_paths?: readonly string[];
  /** True when azapi may create this ARM type (only types whose rules do not read azurerm attributes). */
  readonly azapi?: boolean;
  /** True for azapi types, judged by their ARM `type` against `arm_type`. */
  readonly arm?: boolean;
}

export interface ServicesCatalogue {
  readonly services: Readonly<Record<string, ServiceEntry>>;
  readonly services_data_sources: Readonly<Record<string, { readonly provider: string; readonly note?: string }>>;
  readonly services_denied: Readonly<Record<string, { readonly provider: string; readonly reason: string }>>;
}

export const SERVICES_FILE = path.join("policies", "data", "services.json");

export function loadServices(root: string): ServicesCatalogue {
  return JSON.parse(fs.readFileSync(path.join(root, SERVICES_FILE), "utf8")) as ServicesCatalogue;
}

/** The rule id whose coverage is decided by an entry's location paths rather than by its resource_types. */
const LOCATION_RULE = "ZG-RES-001";

/**
 * Ids of the rules that judge `type` (an entry's `rules`): rules naming the type in `resource_types`, or a
 * provider glob (`azurerm_*`) matching it; ZG-RES-001 when the entry has location paths (or is an azapi
 * type). The catalogue rules themselves (`resource_types: ["*"]`) judge every type and are not listed.
 */
export function rulesCovering(type: string, entry: ServiceEntry, rules: readonly RuleMeta[]): string[] {
  const ids = new Set<string>();
  for (const r of rules) {
    if (r.id === LOCATION_RULE) continue;
    for (const t of r.resource_types ?? []) {
      if (t === type || (t.endsWith("*") && t !== "*" && type.startsWith(t.slice(0, -1)))) ids.add(r.id);
    }
  }
  if (entry.location_paths.length > 0 || entry.arm) ids.add(LOCATION_RULE);
  return [...ids].sort();
}
