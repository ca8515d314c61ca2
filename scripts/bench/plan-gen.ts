/**
 * Synthetic Terraform plan JSON (`terraform show -json`, format_version 1.2) for the gate benchmarks.
 *
 * The plan is a sequence of landing-zone "units" — one tenant × region slice of what zonegate creates, each in
 * its own module call (`module.lz_0001`), with `resource_changes` (after/after_unknown), `planned_values` and
 * `configuration` references, as Terraform writes them. The resources of a unit are the real constructs' output:
 * one example tenant synthesized with the real stacks (scripts/bench/plan-templates.ts), re-keyed per unit
 * (tenant token, address space) and built layer by layer (foundation, network, security, audit, compute, edge).
 * No secure default is typed here. Ids of created resources are unknown until apply (after_unknown), and
 * cross-resource wiring is visible only through configuration references, exactly like a real plan.
 *
 * A unit with no injected violation passes every rule of the library (test/bench/plan-gen.test.ts proves it
 * through the real gate). With `violationRate` p, each breakable resource is broken with probability p by one
 * of its type's realistic misconfigurations (scripts/bench/plan-layers.ts). Deterministic for a seed (and
 * the day: key expiry dates are plan-time dates).
 */
import { Rng } from "./rng";
import { LAYERS, setPath, type Break, type Layer, type Res } from "./plan-layers";
import { TEMPLATE_OCTETS, TEMPLATE_REGIONS, TEMPLATE_TENANT, templates, type TemplateResource } from "./plan-templates";

export { BENCH_TENANT } from "./bench-tenant";

type Json = Record<string, unknown>;

export interface PlanGenOptions {
  /** Exact number of resource_changes entries. */
  readonly resources: number;
  /** @default 1 */
  readonly seed?: number;
  /** Probability that a breakable resource gets one misconfiguration (≈ 5 % of all resources). @default 0.12 */
  readonly violationRate?: number;
  /** Also write `planned_values` (real plans do). @default true */
  readonly plannedValues?: boolean;
  /**
   * Only this break (`<resource type>/<kind>`, see {@link breakKinds}), on every resource it applies to (a check
   * that each break is caught); overrides `violationRate`.
   */
  readonly onlyBreak?: string;
}

export interface PlanGenStats {
  readonly resources: number;
  readonly units: number;
  /** Resources that carry an injected violation (or whose dependent control was left out). */
  readonly violatingResources: number;
  readonly violationShare: number;
  readonly breaks: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
}

export interface GeneratedPlan {
  readonly plan: Json;
  readonly stats: PlanGenStats;
}

const PROVIDERS: Record<string, string> = {
  azurerm: "registry.terraform.io/hashicorp/azurerm",
  helm: "registry.terraform.io/hashicorp/helm",
  kubernetes: "registry.terraform.io/hashicorp/kubernetes",
};
const providerAddress = (p: string): string => PROVIDERS[p] ?? `registry.terraform.io/hashicorp/${p}`;

/** Every break of every layer, as `<resource type>/<kind>` (for checks and `onlyBreak`). */
export function breakKinds(): string[] {
  return LAYERS.flatMap((l) => Object.entries(l.breaks).flatMap(([t, bs]) => bs.map((b) => `${t}/${b.kind}`))).sort();
}

/** A nested `after_unknown` object from dotted paths. */
function unknownTree(paths: readonly string[]): Json {
  const out: Json = {};
  for (const p of paths) setPath(out, p, true);
  return out;
}

/** The `after_sensitive`-style shape Terraform writes for blocks: `{}` / `[]` mirrors of after. */
function sensitiveShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sensitiveShape);
  if (v && typeof v === "object") {
    const o: Json = {};
    for (const [k, x] of Object.entries(v as Json)) if (x && typeof x === "object") o[k] = sensitiveShape(x);
    return o;
  }
  return false;
}

function expressionsOf(r: Res): Json {
  const e: Json = {};
  if (typeof r.after.name === "string") e.name = { constant_value: r.after.name };
  if (typeof r.after.location === "string") e.location = { constant_value: r.after.location };
  for (const [p, target] of r.refs) setPath(e, p, { references: [`${target}.id`, target] });
  return e;
}

/**
 * A plan-time value for an expression the plan knows (`timeadd(plantimestamp(), "8760h")`): from UTC midnight
 * of the generation day, so a plan is deterministic within a day. Undefined: the value stays unknown.
 */
function planTimeValue(expr: string): string | undefined {
  const m = /^\$\{timeadd\(plantimestamp\(\), "(\d+)h"\)\}$/.exec(expr);
  if (!m) return undefined;
  const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  return new Date(midnight + Number(m[1]) * 3_600_000).toISOString().replace(".000Z", "Z");
}

/** A template resource prepared once: its values as JSON text (re-keyed per unit by string replacement). */
interface Prepared {
  readonly layer: Layer | undefined;
  readonly type: string;
  readonly name: string;
  readonly text: string;
  readonly unknown: readonly string[];
  readonly refs: readonly (readonly [string, string])[];
}

function prepare(t: TemplateResource, layer: Layer | undefined): Prepared {
  const values = structuredClone(t.values);
  const unknown: string[] = ["id"];
  for (const p of t.unknown) {
    const known = t.expressions[p] !== undefined ? planTimeValue(t.expressions[p]) : undefined;
    if (known !== undefined) {
      setPath(values, p, known);
      continue;
    }
    unknown.push(p);
    // Terraform leaves unknown attributes out of `after` (list elements stay, as null).
    const i = p.lastIndexOf(".");
    const parent =
      i < 0
        ? values
        : p
            .slice(0, i)
            .split(".")
            .reduce<unknown>((o, k) => (o as Json)?.[k], values);
    const leaf = p.slice(i + 1);
    if (parent && typeof parent === "object" && !Array.isArray(parent) && (parent as Json)[leaf] === null)
      delete (parent as Json)[leaf];
  }
  return { layer, type: t.type, name: t.name, text: JSON.stringify(values), unknown, refs: t.refs };
}

let preparedCache: Map<string, Prepared[]> | undefined;

/** Per region, the template's resources in layer order (LAYERS first, any other layer after). */
function preparedUnits(): Map<string, Prepared[]> {
  if (preparedCache) return preparedCache;
  const out = new Map<string, Prepared[]>();
  for (const [region, layers] of templates().byRegion) {
    const order = [
      ...LAYERS.map((l) => l.name),
      ...[...layers.keys()].filter((n) => !LAYERS.some((l) => l.name === n)),
    ];
    const list: Prepared[] = [];
    for (const name of order) {
      const layer = LAYERS.find((l) => l.name === name);
      for (const t of layers.get(name) ?? []) list.push(prepare(t, layer));
    }
    out.set(region, list);
  }
  preparedCache = out;
  return out;
}

interface Unit {
  readonly resources: Res[];
  readonly breaks: Record<string, number>;
  readonly violating: number;
}

/** Build unit `index`: the template of its region, re-keyed, with breaks decided by the rng. */
function buildUnit(index: number, rng: Rng, rate: number, onlyBreak: string | undefined): Unit {
  const region = TEMPLATE_REGIONS[index % TEMPLATE_REGIONS.length];
  const token = `zq${String(Math.floor(index / TEMPLATE_REGIONS.length) + 1).padStart(4, "0")}`;
  const octet = `10.${index % 250}.`;
  const rekey = (text: string): string => {
    let t = text.split(TEMPLATE_TENANT).join(token);
    for (const o of TEMPLATE_OCTETS) t = t.split(o).join(octet);
    return t;
  };
  const prepared = preparedUnits().get(region)!;
  const resources: Res[] = prepared.map((p) => ({
    type: p.type,
    name: p.name,
    after: JSON.parse(rekey(p.text)) as Json,
    unknown: [...p.unknown],
    refs: p.refs.map(([a, b]) => [a, b] as [string, string]),
    provider: p.type.slice(0, p.type.indexOf("_")),
  }));
  // Who points at whom: `<target address>|<dependent type>|<path>` → dependents (for the "not created" breaks).
  const dependents = new Map<string, Res[]>();
  for (const r of resources) {
    for (const [p, target] of r.refs) {
      const k = `${target}|${r.type}|${p}`;
      dependents.set(k, [...(dependents.get(k) ?? []), r]);
    }
  }
  const dependentsOf = (r: Res, b: Break): Res[] =>
    "omit" in b ? (dependents.get(`${r.type}.${r.name}|${b.omit.type}|${b.omit.via}`) ?? []) : [];
  const omitted = new Set<Res>();
  const breaks: Record<string, number> = {};
  let violating = 0;
  resources.forEach((r, i) => {
    const options = (prepared[i].layer?.breaks[r.type] ?? []).filter(
      (b) => !("omit" in b) || dependentsOf(r, b).length,
    );
    let b: Break | undefined;
    if (onlyBreak !== undefined) b = options.find((o) => `${r.type}/${o.kind}` === onlyBreak);
    else if (options.length > 0 && rng.chance(rate)) b = rng.pick(options);
    if (!b || omitted.has(r)) return;
    breaks[b.kind] = (breaks[b.kind] ?? 0) + 1;
    violating++;
    if ("omit" in b) for (const d of dependentsOf(r, b)) omitted.add(d);
    else b.apply(r);
  });
  return { resources: resources.filter((r) => !omitted.has(r)), breaks, violating };
}

/** Generate a plan of exactly `opts.resources` resource changes. */
export function generatePlan(opts: PlanGenOptions): GeneratedPlan {
  const rng = new Rng(opts.seed ?? 1);
  const rate = opts.violationRate ?? 0.12;
  preparedUnits(); // the template synth, before any unit
  const resourceChanges: Json[] = [];
  const childModules: Json[] = [];
  const moduleCalls: Json = {};
  const breaks: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let violating = 0;
  let units = 0;
  const emit = (moduleName: string, resources: Res[]): void => {
    const moduleAddress = `module.${moduleName}`;
    const planned: Json[] = [];
    const config: Json[] = [];
    for (const r of resources) {
      const address = `${moduleAddress}.${r.type}.${r.name}`;
      const mode = "managed";
      byType[r.type] = (byType[r.type] ?? 0) + 1;
      resourceChanges.push({
        address,
        module_address: moduleAddress,
        mode,
        type: r.type,
        name: r.name,
        provider_name: providerAddress(r.provider),
        change: {
          actions: ["create"],
          before: null,
          after: r.after,
          after_unknown: unknownTree(r.unknown),
          before_sensitive: false,
          after_sensitive: sensitiveShape(r.after),
        },
      });
      if (opts.plannedValues !== false) {
        planned.push({
          address,
          mode,
          type: r.type,
          name: r.name,
          provider_name: providerAddress(r.provider),
          schema_version: 0,
          values: r.after,
          sensitive_values: sensitiveShape(r.after),
        });
      }
      config.push({
        address: `${r.type}.${r.name}`,
        mode,
        type: r.type,
        name: r.name,
        provider_config_key: r.provider,
        expressions: expressionsOf(r),
        schema_version: 0,
      });
    }
    if (opts.plannedValues !== false) childModules.push({ address: moduleAddress, resources: planned });
    moduleCalls[moduleName] = { source: "./modules/landing-zone", module: { resources: config } };
  };
  while (resourceChanges.length < opts.resources) {
    const u = buildUnit(units, rng, rate, opts.onlyBreak);
    const room = opts.resources - resourceChanges.length;
    let list = u.resources;
    if (list.length > room) {
      // The last unit is cut short: keep only self-contained resources so no control is left dangling.
      list = [];
      for (let i = 0; i < room; i++) {
        list.push({
          type: "azurerm_role_assignment",
          name: `reader_${i}`,
          after: {
            role_definition_name: "Reader",
            condition: null,
            description: null,
            skip_service_principal_aad_check: false,
          },
          unknown: ["id", "scope", "principal_id", "role_definition_id"],
          refs: [],
          provider: "azurerm",
        });
      }
    } else {
      for (const [k, n] of Object.entries(u.breaks)) breaks[k] = (breaks[k] ?? 0) + n;
      violating += u.violating;
    }
    emit(`lz_${String(units).padStart(4, "0")}`, list);
    units++;
  }
  const plan: Json = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    ...(opts.plannedValues !== false ? { planned_values: { root_module: { child_modules: childModules } } } : {}),
    resource_changes: resourceChanges,
    configuration: {
      provider_config: {
        azurerm: {
          name: "azurerm",
          full_name: PROVIDERS.azurerm,
          version_constraint: "4.14.0",
          expressions: { features: [{}] },
        },
        helm: { name: "helm", full_name: PROVIDERS.helm, version_constraint: "2.17.0" },
        kubernetes: { name: "kubernetes", full_name: PROVIDERS.kubernetes, version_constraint: "2.35.1" },
      },
      root_module: { module_calls: moduleCalls },
    },
    timestamp: "2025-01-01T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
  return {
    plan,
    stats: {
      resources: resourceChanges.length,
      units,
      violatingResources: violating,
      violationShare: resourceChanges.length ? violating / resourceChanges.length : 0,
      breaks,
      byType,
    },
  };
}
