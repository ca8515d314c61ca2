/**
 * The compliant resources of the bench plan, taken from the real constructs: one example tenant (enterprise,
 * PCI DSS + SOX, EU, prod, two regions, one published API, internet-facing through the WAF) is synthesized
 * once per process with the real stacks (`stacks/app.ts` synthEstate) and read back with the gate's own synth
 * normalizer. Every secure default therefore has one copy — in the construct that sets it — and the generator
 * (scripts/bench/plan-gen.ts) only re-keys and multiplies these resources.
 *
 * A template resource is what Terraform would put in a plan for it: known values (nested blocks as one-element
 * lists, maps as objects), the paths unknown until apply, and each reference as [attribute path,
 * module-relative target address] (cross-stack references resolved to the producing resource, as the gate's
 * normalizer resolves them; references to data sources dropped, their values stay unknown as in the synth).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadTenants } from "../../lib/tenant/load";
import { synthEstate } from "../../stacks/app";
import { normalizeSynth } from "../../lib/gate/normalize/synth";
import type { ResourceModel } from "../../lib/gate/model";

type Json = Record<string, unknown>;

const ROOT = path.resolve(__dirname, "../..");

/** The template tenant's id: re-keyed per generated unit (a token no other value contains). */
export const TEMPLATE_TENANT = "zq0000";
/** The regions of the template tenant; a unit takes one of them. */
export const TEMPLATE_REGIONS = ["westeurope", "northeurope"] as const;
/** First octets of the template tenant's address spaces (10.200.0.0/16, 10.201.0.0/16), re-keyed per unit. */
export const TEMPLATE_OCTETS = ["10.200.", "10.201."] as const;

export interface TemplateResource {
  /** The stack layer the resource comes from (foundation, network, security, audit, compute, edge). */
  readonly layer: string;
  readonly type: string;
  readonly name: string;
  readonly values: Json;
  /** Dotted paths (numeric segments = list indices) unknown until apply. */
  readonly unknown: readonly string[];
  /** [dotted attribute path, module-relative target address] */
  readonly refs: readonly (readonly [string, string])[];
  /** Plan-time expressions the plan carries as values (`expiration_date = timeadd(plantimestamp(), "8760h")`). */
  readonly expressions: Readonly<Record<string, string>>;
}

export interface Templates {
  /** Layers in stack order, each with its resources, per region. */
  readonly byRegion: ReadonlyMap<string, ReadonlyMap<string, readonly TemplateResource[]>>;
}

function tenantYaml(): string {
  return [
    `# the bench plan's template tenant (scripts/bench/plan-templates.ts)`,
    `id: ${TEMPLATE_TENANT}`,
    `displayName: Bench Bank AG`,
    `tier: enterprise`,
    `frameworks: [pci-dss-4.0, sox]`,
    `residency: eu`,
    `regions:`,
    ...TEMPLATE_REGIONS.flatMap((r, i) => [`  - name: ${r}`, `    addressSpace: ${TEMPLATE_OCTETS[i]}0.0/16`]),
    `environments: [prod]`,
    `gateway:`,
    `  publisherName: Bench Bank API Platform`,
    `  publisherEmail: api@${TEMPLATE_TENANT}.example`,
    `  oauth:`,
    `    issuer: https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/v2.0`,
    `    audience: api://${TEMPLATE_TENANT}-api`,
    `    requiredScopes: [accounts.read]`,
    `  apis:`,
    `    - name: accounts`,
    `      path: accounts`,
    `      openapi: apis/${TEMPLATE_TENANT}/accounts.yaml`,
    `      ownership: { parameter: accountId, claim: account_ids }`,
    `  requestCardData: block`,
    `  internet:`,
    `    hostName: api.${TEMPLATE_TENANT}.example`,
    `cluster:`,
    `  vmSize: Standard_D8s_v5`,
    `  maxNodes: 10`,
    `  allowedRegistries: [mcr.microsoft.com]`,
    `contacts:`,
    `  security: soc@${TEMPLATE_TENANT}.example`,
    `  operations: ops@${TEMPLATE_TENANT}.example`,
    `changeWindow:`,
    `  days: [sat]`,
    `  start: "02:00"`,
    `  durationHours: 4`,
    `  timezone: Europe/Berlin`,
    `dataClassification: restricted`,
    ``,
  ].join("\n");
}

/**
 * Object-valued attributes that are maps (or dynamic values) in the providers' schemas, not nested blocks:
 * they stay objects; every other object is a block and becomes a one-element list, as in a plan.
 */
const MAP_ATTRIBUTES = new Set([
  "tags",
  "labels",
  "annotations",
  "match_labels",
  "node_labels",
  "additional_extension_properties",
  "default",
  "default_request",
  "max",
  "min",
  "max_limit_request_ratio",
  "manifest",
  "object",
]);

/** Blocks → one-element lists; `paths` (dotted, in the synth shape) are rewritten to the plan shape. */
function planShape(values: Json): { values: Json; path: (p: string) => string } {
  const shape = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => shape(x, key));
    if (v && typeof v === "object") {
      if (MAP_ATTRIBUTES.has(key)) return v;
      const o: Json = {};
      for (const [k, x] of Object.entries(v as Json)) o[k] = wrap(x, k);
      return o;
    }
    return v;
  };
  const wrap = (x: unknown, k: string): unknown =>
    x && typeof x === "object" && !Array.isArray(x) && !MAP_ATTRIBUTES.has(k) ? [shape(x, k)] : shape(x, k);
  const out: Json = {};
  for (const [k, x] of Object.entries(values)) out[k] = wrap(x, k);
  const mapPath = (p: string): string => {
    const parts = p.split(".");
    const segs: string[] = [];
    let cur: unknown = values;
    for (let i = 0; i < parts.length; i++) {
      const s = parts[i];
      segs.push(s);
      // Inside a map (or dynamic value) nothing is wrapped.
      if (MAP_ATTRIBUTES.has(s)) return [...segs, ...parts.slice(i + 1)].join(".");
      const next: unknown = cur && typeof cur === "object" ? (cur as Json)[s] : undefined;
      if (!Array.isArray(cur) && next && typeof next === "object" && !Array.isArray(next)) segs.push("0");
      cur = next;
    }
    return segs.join(".");
  };
  return { values: out, path: mapPath };
}

function toTemplate(r: ResourceModel): TemplateResource {
  const { values, path: mapPath } = planShape(r.values as Json);
  const refs: [string, string][] = [];
  for (const [p, keys] of Object.entries(r.refs)) {
    for (const k of keys) {
      const address = k.slice(k.indexOf("::") + 2);
      if (!address.startsWith("data.")) refs.push([mapPath(p), address]);
    }
  }
  const expressions: Record<string, string> = {};
  for (const [p, e] of Object.entries(r.expressions ?? {})) expressions[mapPath(p)] = e;
  return {
    layer: r.context?.layer ?? "unknown",
    type: r.type,
    name: r.name,
    values,
    unknown: r.unknown.map(mapPath),
    refs,
    expressions,
  };
}

let cached: Templates | undefined;

/** Synthesize the template tenant with the real stacks (once per process) and return its resources. */
export function templates(): Templates {
  if (cached) return cached;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "zonegate-bench-template-"));
  try {
    const tenantsDir = path.join(work, "tenants");
    fs.mkdirSync(path.join(tenantsDir, "apis", TEMPLATE_TENANT), { recursive: true });
    fs.writeFileSync(path.join(tenantsDir, `${TEMPLATE_TENANT}.yaml`), tenantYaml());
    fs.copyFileSync(
      path.join(ROOT, "tenants/apis/northwind-bank/accounts.yaml"),
      path.join(tenantsDir, "apis", TEMPLATE_TENANT, "accounts.yaml"),
    );
    const loaded = loadTenants(tenantsDir, { cwd: work });
    if (loaded.problems.length > 0 || loaded.tenants.length !== 1) {
      throw new Error(`bench template tenant is invalid: ${JSON.stringify(loaded.problems).slice(0, 500)}`);
    }
    const out = path.join(work, "cdktf.out");
    synthEstate(loaded.tenants, out);
    const { resources } = normalizeSynth(out, { root: work });
    const byRegion = new Map<string, Map<string, TemplateResource[]>>();
    for (const r of resources) {
      if (r.mode !== "managed" || r.tenant?.id !== TEMPLATE_TENANT || !r.context?.region) continue;
      const layers = byRegion.get(r.context.region) ?? new Map<string, TemplateResource[]>();
      byRegion.set(r.context.region, layers);
      const t = toTemplate(r);
      layers.set(t.layer, [...(layers.get(t.layer) ?? []), t]);
    }
    for (const region of TEMPLATE_REGIONS) {
      if (!byRegion.has(region)) throw new Error(`bench template tenant: no stacks synthesized for ${region}`);
    }
    cached = { byRegion };
    return cached;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
