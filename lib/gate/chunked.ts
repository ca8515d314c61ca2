/**
 * Evaluating a large input in chunks, so that the Wasm heap stays bounded (one evaluation of a 100k-resource
 * plan needs > 2 GiB of Wasm memory, past what opa-wasm can address: its JS side reads the result address
 * as a signed 32-bit number).
 *
 * A chunk is a union of whole "components": resources that a rule may relate to each other are always in
 * the same chunk. The relations rules use (docs/architecture.md "Incremental gate", soundness contract):
 * - `refs` (an attribute referencing another resource's key);
 * - known id strings: an attribute whose string value equals, or starts with `<id>/`, another resource's
 *   known `values.id` (case-insensitive; e.g. a diagnostic setting's target `…/blobServices/default`);
 * - the same stack, for the types listed in {@link STACK_LINKED_TYPES} (Kyverno: a cluster and the helm
 *   releases / manifests of its stack).
 * Each chunk is evaluated with the input's `complete` flag, as the incremental gate does per group; findings
 * are mapped back to input indexes. Below {@link chunkSize} resources nothing changes: one evaluation.
 */
import type { Bundle } from "./bundle";
import { buildGateInput, evaluate } from "./engine";
import type { EffectiveOptions } from "./effective";
import type { GateInputExtras } from "./engine";
import type { RawFinding, ResourceModel } from "./model";

/**
 * Types whose resources of one stack rules relate without a reference: a cluster and its stack's Kyverno
 * releases/manifests (kubernetes/kyverno_policies.rego), an APIM service and its stack's products, APIs,
 * operations and policies, chained by name (the effective policy of lib/gate/effective/api-management.ts read
 * by apim/apim_jwt_rate_limit.rego, apim/apim_pan_masking.rego, gateway/api_request_validation.rego).
 */
export const STACK_LINKED_TYPES: ReadonlySet<string> = new Set([
  "azurerm_kubernetes_cluster",
  "helm_release",
  "kubernetes_manifest",
  "azurerm_api_management",
  "azurerm_api_management_policy",
  "azurerm_api_management_product",
  "azurerm_api_management_product_policy",
  "azurerm_api_management_product_api",
  "azurerm_api_management_api",
  "azurerm_api_management_api_policy",
  "azurerm_api_management_api_operation",
  "azurerm_api_management_api_operation_policy",
]);

/**
 * Types that subscription-scope rules relate by owner and environment (zg.owner_env: one subscription per
 * tenant × env, one platform subscription per env × region) — Defender plans and security contact
 * (defender/*.rego), Activity Log export and alerts (monitoring/activity_log_*.rego). Diagnostic settings count
 * only when they target the subscription itself.
 */
export const SUBSCRIPTION_LINKED_TYPES: ReadonlySet<string> = new Set([
  "azurerm_security_center_subscription_pricing",
  "azurerm_security_center_contact",
  "azurerm_monitor_activity_log_alert",
  "azurerm_monitor_diagnostic_setting",
  "azurerm_subscription",
  "azurerm_resource_group",
  "azurerm_key_vault",
  "azurerm_storage_account",
  "azurerm_kubernetes_cluster",
  "azurerm_api_management",
]);

/** `<owner>/<env>` as zg.owner_env computes it, for the resources subscription-scope rules relate. */
function subscriptionOf(r: ResourceModel): string | undefined {
  // Synth stacks carry their subscription (tenant × env) in their context; a plan or HCL input is one tenant
  // context for all of it, and tying its whole subscription together would make one chunk of it (a plan's
  // subscription-level resources are in every landing zone it creates).
  if (!SUBSCRIPTION_LINKED_TYPES.has(r.type) || !r.context?.env) return undefined;
  if (r.type === "azurerm_monitor_diagnostic_setting") {
    const target = r.values?.target_resource_id;
    const toSubscription =
      (r.refs?.target_resource_id ?? []).some((k) => k.includes("::data.azurerm_subscription.")) ||
      (typeof target === "string" && /^\/subscriptions\/[^/]+$/i.test(target));
    if (!toSubscription) return undefined;
  }
  return r.tenant ? `${r.tenant.id}/${r.tenant.env}` : `platform:${r.context?.region ?? ""}/${r.context?.env ?? ""}`;
}

/** Attributes (list indexes stripped) through which some rule relates two resources. */
export const RELATION_ATTRIBUTES: ReadonlySet<string> = new Set([
  "private_service_connection.private_connection_resource_id",
  "target_resource_id",
  "workspace_id",
  "subnet_id",
  "storage_container_resource_manager_id",
  "storage_account_id",
  "server_id",
  "route_table_id",
  "default_node_pool.vnet_subnet_id",
  "api_name",
  "scope",
  "scopes",
  "cdn_frontdoor_profile_id",
  // waf/internet_endpoint_waf.rego: a gateway / Front Door and its WAF policy.
  "firewall_policy_id",
  "security_policies.firewall.cdn_frontdoor_firewall_policy_id",
  "frontend_endpoint.web_application_firewall_policy_link_id",
]);

const strip = (p: string) =>
  p
    .split(".")
    .filter((s) => !/^\d+$/.test(s))
    .join(".");

/** String values at a dotted path (lists are descended into at any index). */
function stringsAt(v: unknown, segs: readonly string[], out: string[]): void {
  if (Array.isArray(v)) {
    for (const e of v) stringsAt(e, segs, out);
    return;
  }
  if (segs.length === 0) {
    if (typeof v === "string") out.push(v);
    return;
  }
  if (v && typeof v === "object") stringsAt((v as Record<string, unknown>)[segs[0]], segs.slice(1), out);
}

const RELATION_SEGS = [...RELATION_ATTRIBUTES].map((a) => a.split("."));

/** Resources per evaluation (override: ZG_CHUNK_RESOURCES). */
export function chunkSize(): number {
  const n = Number(process.env.ZG_CHUNK_RESOURCES);
  return Number.isInteger(n) && n > 0 ? n : 25_000;
}

class UnionFind {
  private readonly p: Int32Array;
  constructor(n: number) {
    this.p = new Int32Array(n);
    for (let i = 0; i < n; i++) this.p[i] = i;
  }
  find(x: number): number {
    let r = x;
    while (this.p[r] !== r) r = this.p[r];
    while (this.p[x] !== r) {
      const nx = this.p[x];
      this.p[x] = r;
      x = nx;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.p[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Partition input indexes into chunks of at most `max` resources (a larger component stays whole). */
export function planChunks(resources: readonly ResourceModel[], max: number): number[][] {
  const n = resources.length;
  const uf = new UnionFind(n);
  const byKey = new Map<string, number>();
  const byId = new Map<string, number>();
  const stackLinked = new Map<string, number>();
  const subscriptionLinked = new Map<string, number>();
  resources.forEach((r, i) => {
    const sub = subscriptionOf(r);
    if (sub !== undefined) {
      const s = subscriptionLinked.get(sub);
      if (s === undefined) subscriptionLinked.set(sub, i);
      else uf.union(s, i);
    }
    byKey.set(r.key, i);
    const id = r.values?.id;
    if (typeof id === "string" && id.length > 0) {
      const l = id.toLowerCase();
      const prev = byId.get(l);
      if (prev === undefined) byId.set(l, i);
      else uf.union(prev, i);
    }
    if (STACK_LINKED_TYPES.has(r.type)) {
      const s = stackLinked.get(r.stack);
      if (s === undefined) stackLinked.set(r.stack, i);
      else uf.union(s, i);
    }
  });
  resources.forEach((r, i) => {
    for (const [p, keys] of Object.entries(r.refs ?? {})) {
      if (!RELATION_ATTRIBUTES.has(strip(p))) continue;
      for (const k of keys) {
        const j = byKey.get(k);
        if (j !== undefined) uf.union(i, j);
      }
    }
    if (byId.size === 0) return;
    const strs: string[] = [];
    for (const segs of RELATION_SEGS) stringsAt(r.values, segs, strs);
    for (const s of strs) {
      const l = s.toLowerCase();
      const j = byId.get(l);
      if (j !== undefined) uf.union(i, j);
      // `<id>/<child>` strings (sub-resources) relate to the id's resource too.
      for (let p = l.indexOf("/", 1); p > 0; p = l.indexOf("/", p + 1)) {
        const k = byId.get(l.slice(0, p));
        if (k !== undefined) uf.union(i, k);
      }
    }
  });
  const comps = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const c = comps.get(r);
    if (c) c.push(i);
    else comps.set(r, [i]);
  }
  const chunks: number[][] = [];
  let cur: number[] = [];
  for (const c of comps.values()) {
    if (cur.length > 0 && cur.length + c.length > max) {
      chunks.push(cur);
      cur = [];
    }
    for (const i of c) cur.push(i);
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** Evaluate the whole input, in chunks when it is larger than {@link chunkSize}. */
export function evaluateAll(
  bundle: Bundle,
  resources: readonly ResourceModel[],
  complete: boolean,
  max = chunkSize(),
  opts: EffectiveOptions & GateInputExtras = {},
): RawFinding[] {
  if (resources.length <= max) return evaluate(bundle, buildGateInput(resources, complete, opts));
  const out: RawFinding[] = [];
  const { deleted, offboarding, ...effective } = opts;
  for (const chunk of planChunks(resources, max)) {
    const part = chunk.map((i) => resources[i]);
    for (const f of evaluate(bundle, buildGateInput(part, complete, effective)))
      out.push({ ...f, resource: chunk[f.resource] });
  }
  // Outright deletes are judged on their own (their indices follow the resources', as in one evaluation).
  if (deleted?.length) {
    for (const f of evaluate(bundle, buildGateInput([], complete, { deleted, offboarding })))
      out.push({ ...f, resource: resources.length + f.resource });
  }
  return out;
}
