/**
 * API Management service + its policy scopes, resolved the way the gateway runs them: global
 * (`azurerm_api_management_policy`) → product (`…_product_policy`) → API (`…_api_policy`) → operation
 * (`…_api_operation_policy`). A scope without a policy inherits its parent; a scope's section inherits only
 * where it keeps `<base />`, so an API or operation policy that omits `<base />` drops what the product and
 * global policies do in that section.
 *
 * Endpoints judged: every product; every API through each product it belongs to
 * (`azurerm_api_management_product_api`), and on its own when it is in no product or does not require a
 * subscription; every operation of those APIs (operation resources or operation policies). A service with
 * neither products nor APIs in the input is judged by its global policy alone.
 *
 * Each endpoint must end up with validate-jwt and rate-limit-by-key in inbound and PAN masking in outbound
 * (lib/gate/effective/apim-xml.ts). A gap is recorded in `effective.apim_gaps` on the resource that caused
 * it: the policy that drops `<base />` or cannot be read or is unknown; when no scope supplies the control,
 * the top-most policy of the chain (else the endpoint's resource, else the service).
 *
 * Per resource, for the rules that judge one scope's own document (ZG-GW-001 API policies, ZG-GW-003 operation
 * policies): every policy resource gets `effective.apim_policy` — `{state: "parsed", inbound|backend|outbound|
 * on_error: {present, base, base_first, controls}}`, or `{state: "unknown"}` (xml_content known only after
 * apply), or `{state: "invalid", reason}` (not a well-formed `<policies>`, or fetched from xml_link) — and every
 * API gets `effective.apim_api` — `{policies: [indexes of its API policies], product_linked}` (some
 * `azurerm_api_management_product_api` with a product links it).
 */
import type { ResourceModel } from "../model";
import { CONTROL_SECTION, SECTIONS, policyFacts, type Control, type PolicyFacts } from "./apim-xml";
import { EffectiveContext, isUnknown } from "./context";

const T = {
  service: "azurerm_api_management",
  global: "azurerm_api_management_policy",
  product: "azurerm_api_management_product",
  productPolicy: "azurerm_api_management_product_policy",
  api: "azurerm_api_management_api",
  apiPolicy: "azurerm_api_management_api_policy",
  operation: "azurerm_api_management_api_operation",
  operationPolicy: "azurerm_api_management_api_operation_policy",
  productApi: "azurerm_api_management_product_api",
} as const;

export const CONTROLS: readonly Control[] = ["validate-jwt", "rate-limit-by-key", "pan-masking"];

type Facts = PolicyFacts | { readonly ok: false; readonly unknown: true };

interface Scope {
  idx?: number;
  policy?: number;
  label: string;
}
interface Api extends Scope {
  subscriptionRequired: boolean;
  products: Set<string>;
  /** Every API policy resource of this API (Azure keeps one; an input may declare several — each is judged). */
  policies: number[];
  /** Some product link names a product (known, unknown until apply, or a reference). */
  linked: boolean;
  ops: Map<string, Scope>;
}
interface Group {
  service?: number;
  /** Global policies (one per service in Azure; several in an input are each judged). */
  globals: number[];
  products: Map<string, Scope>;
  apis: Map<string, Api>;
}

export interface ApimGap {
  readonly control: Control;
  /** The endpoint whose effective policy lacks the control. */
  readonly scope: string;
  readonly reason: string;
  readonly unknown: boolean;
}

/** The `effective.apim_policy` fact of one policy resource (shared between resources with the same document). */
function policyFact(f: Facts): Record<string, unknown> {
  let j = factJson.get(f);
  if (j) return j;
  if (!f.ok) j = "unknown" in f ? { state: "unknown", reason: "" } : { state: "invalid", reason: f.error };
  else {
    j = { state: "parsed", reason: "" };
    for (const s of SECTIONS) {
      const x = f.sections[s];
      j[s.replace("-", "_")] = { present: x.present, base: x.base, base_first: x.baseFirst, controls: [...x.controls] };
    }
  }
  factJson.set(f, j);
  return j;
}

const factJson = new WeakMap<Facts, Record<string, unknown>>();

/** An attribute that will hold a value: known and non-null, unknown until apply, or a reference. */
function present(r: ResourceModel, attr: string): boolean {
  const v = r.values[attr];
  return (v !== null && v !== undefined) || isUnknown(r, attr) || Object.keys(r.refs).some((p) => p === attr);
}

function facts(ctx: EffectiveContext, cache: Map<number, Facts>, i: number): Facts {
  let f = cache.get(i);
  if (f) return f;
  const r = ctx.resources[i];
  const x = r.values.xml_content;
  if (typeof x === "string" && x.trim() !== "") f = policyFacts(x);
  else if (isUnknown(r, "xml_content")) f = { ok: false, unknown: true };
  else if (typeof r.values.xml_link === "string" || isUnknown(r, "xml_link"))
    f = { ok: false, error: "the policy is fetched from xml_link at apply time and cannot be verified" };
  else f = { ok: false, error: "the policy has no xml_content" };
  cache.set(i, f);
  return f;
}

export function mergeApiManagement(ctx: EffectiveContext): void {
  const groups = new Map<string, Group>();
  const group = (k: string): Group => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { globals: [], products: new Map(), apis: new Map() }));
    return g;
  };
  const services = ctx.of(T.service);
  for (const s of services) group(`s:${s}`).service = s;
  const stackServices = new Map<string, number[]>();
  for (const s of services) {
    const st = ctx.resources[s].stack;
    stackServices.set(st, [...(stackServices.get(st) ?? []), s]);
  }
  const groupOf = (r: ResourceModel): Group => {
    let s = ctx.parents(r, "api_management_id", T.service);
    if (!s.length) s = ctx.parents(r, "api_management_name", T.service, "name");
    if (!s.length && (stackServices.get(r.stack) ?? []).length === 1) s = stackServices.get(r.stack)!;
    if (s.length) return group(`s:${s[0]}`);
    // No service in the input: group by the service name (api_management_name, or the id's last segment).
    const n = r.values.api_management_name;
    const id = r.values.api_management_id;
    const name =
      typeof n === "string" ? n : typeof id === "string" ? (/\/service\/([^/]+)\/?$/i.exec(id)?.[1] ?? "?") : "?";
    return group(`o:${r.stack}:${name.toLowerCase()}`);
  };
  const canon = (r: ResourceModel, attr: string) => {
    const v = r.values[attr];
    return typeof v === "string" && v !== "" ? `n:${v.toLowerCase()}` : `k:${r.key}`;
  };
  /** The canonical id a child attribute designates: its referenced resource's, else its own known value. */
  const designated = (r: ResourceModel, attr: string, type: string, targetAttr: string) => {
    const t = ctx.refsTo(r, attr, [type]);
    if (t.length) return canon(ctx.resources[t[0]], targetAttr);
    const v = r.values[attr];
    return typeof v === "string" && v !== "" ? `n:${v.toLowerCase()}` : `?:${r.key}`;
  };
  const label = (r: ResourceModel, ...attrs: string[]) => {
    for (const a of attrs) if (typeof r.values[a] === "string" && r.values[a] !== "") return r.values[a] as string;
    return r.address;
  };
  const api = (g: Group, id: string, fallbackLabel: string): Api => {
    let a = g.apis.get(id);
    if (!a)
      g.apis.set(
        id,
        (a = {
          label: fallbackLabel,
          subscriptionRequired: true,
          products: new Set(),
          ops: new Map(),
          policies: [],
          linked: false,
        }),
      );
    return a;
  };
  const product = (g: Group, id: string, fallbackLabel: string): Scope => {
    let p = g.products.get(id);
    if (!p) g.products.set(id, (p = { label: fallbackLabel }));
    return p;
  };

  for (const i of ctx.of(T.global)) {
    groupOf(ctx.resources[i]).globals.push(i);
  }
  for (const i of ctx.of(T.product)) {
    const r = ctx.resources[i];
    const p = product(groupOf(r), canon(r, "product_id"), label(r, "display_name", "product_id"));
    p.idx = i;
    p.label = label(r, "display_name", "product_id");
  }
  for (const i of ctx.of(T.productPolicy)) {
    const r = ctx.resources[i];
    const id = designated(r, "product_id", T.product, "product_id");
    product(groupOf(r), id, label(r, "product_id")).policy = i;
  }
  for (const i of ctx.of(T.api)) {
    const r = ctx.resources[i];
    const a = api(groupOf(r), canon(r, "name"), label(r, "name"));
    a.idx = i;
    a.label = label(r, "display_name", "name");
    a.subscriptionRequired = r.values.subscription_required !== false;
  }
  for (const i of ctx.of(T.apiPolicy)) {
    const r = ctx.resources[i];
    const a = api(groupOf(r), designated(r, "api_name", T.api, "name"), label(r, "api_name"));
    a.policy = i;
    a.policies.push(i);
  }
  for (const i of ctx.of(T.productApi)) {
    const r = ctx.resources[i];
    const g = groupOf(r);
    const a = api(g, designated(r, "api_name", T.api, "name"), label(r, "api_name"));
    const pid = designated(r, "product_id", T.product, "product_id");
    product(g, pid, label(r, "product_id"));
    a.products.add(pid);
    if (present(r, "product_id")) a.linked = true;
  }
  const op = (r: ResourceModel): Scope => {
    const a = api(groupOf(r), designated(r, "api_name", T.api, "name"), label(r, "api_name"));
    const id = designated(r, "operation_id", T.operation, "operation_id");
    let o = a.ops.get(id);
    if (!o) a.ops.set(id, (o = { label: label(r, "operation_id") }));
    return o;
  };
  for (const i of ctx.of(T.operation)) {
    const o = op(ctx.resources[i]);
    o.idx = i;
    o.label = label(ctx.resources[i], "display_name", "operation_id");
  }
  for (const i of ctx.of(T.operationPolicy)) op(ctx.resources[i]).policy = i;

  const cache = new Map<number, Facts>();
  for (const t of [T.global, T.productPolicy, T.apiPolicy, T.operationPolicy])
    for (const i of ctx.of(t)) ctx.set(i, "apim_policy", policyFact(facts(ctx, cache, i)));
  for (const g of groups.values())
    for (const a of g.apis.values())
      if (a.idx !== undefined) ctx.set(a.idx, "apim_api", { policies: a.policies, product_linked: a.linked });
  const seen = new Set<string>();
  const gap = (at: number, g: ApimGap) => {
    const k = `${at}\0${g.control}\0${g.scope}`;
    if (seen.has(k)) return;
    seen.add(k);
    ctx.push(at, "apim_gaps", g);
  };
  type Link = { policy?: number; name: string };

  const judge = (chain: Link[], scope: string, fallback: number | undefined) => {
    for (const control of CONTROLS) {
      const section = CONTROL_SECTION[control];
      let top: number | undefined;
      let done = false;
      for (let k = chain.length - 1; k >= 0 && !done; k--) {
        const p = chain[k].policy;
        if (p === undefined) continue;
        top = p;
        const f = facts(ctx, cache, p);
        if (!f.ok) {
          const unknown = "unknown" in f;
          gap(p, {
            control,
            scope,
            unknown,
            reason: unknown ? "" : `${chain[k].name}: ${(f as { error: string }).error}`,
          });
          done = true;
        } else if (f.sections[section].controls.includes(control)) {
          done = true;
        } else if (!f.sections[section].base) {
          const reason =
            k === 0
              ? `${chain[k].name} does not apply ${control} in <${section}>`
              : `${chain[k].name} has no <base /> in <${section}> (dropping what the parent scopes apply there) and does not apply ${control} itself`;
          gap(p, { control, scope, unknown: false, reason });
          done = true;
        }
      }
      if (done) continue;
      const at = top ?? fallback;
      if (at !== undefined)
        gap(at, { control, scope, unknown: false, reason: `no policy scope applies ${control} in <${section}>` });
    }
  };

  for (const g of groups.values()) {
    const fallbackService = g.service;
    const globals = g.globals.length ? g.globals : [undefined];
    for (const gp of globals) {
      const global: Link = { policy: gp, name: "the global (service) policy" };
      if (g.products.size === 0 && g.apis.size === 0) {
        // Neither products nor APIs in the input: the service (or a global policy whose service is elsewhere)
        // is judged by its global policy alone.
        if (g.service !== undefined || gp !== undefined) judge([global], "the service", g.service ?? gp);
        continue;
      }
      for (const p of g.products.values()) {
        judge(
          [global, { policy: p.policy, name: `product ${p.label} policy` }],
          `product ${p.label}`,
          p.idx ?? p.policy ?? fallbackService,
        );
      }
      for (const a of g.apis.values()) {
        const via: (Scope | undefined)[] = [...a.products].map((pid) => g.products.get(pid));
        if (via.length === 0 || !a.subscriptionRequired) via.push(undefined);
        for (const p of via) {
          const base: Link[] = p ? [global, { policy: p.policy, name: `product ${p.label} policy` }] : [global];
          const apiLink: Link = { policy: a.policy, name: `API ${a.label} policy` };
          const through = p ? ` via product ${p.label}` : a.subscriptionRequired ? "" : " (no subscription required)";
          judge([...base, apiLink], `API ${a.label}${through}`, a.idx ?? a.policy ?? fallbackService);
          for (const o of a.ops.values()) {
            judge(
              [...base, apiLink, { policy: o.policy, name: `operation ${o.label} policy` }],
              `API ${a.label} operation ${o.label}${through}`,
              o.idx ?? o.policy ?? a.idx ?? fallbackService,
            );
          }
        }
      }
    }
  }
}
