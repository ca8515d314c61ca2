/**
 * Evaluating a large input in chunks, so that the Wasm heap stays bounded (one evaluation of a 100k-resource
 * plan needs > 2 GiB of Wasm memory, past what opa-wasm can address: its JS side reads the result address
 * as a signed 32-bit number).
 *
 * A chunk is a union of whole "components": resources that a rule or the effective stage
 * (lib/gate/effective) may relate to each other are always in the same chunk. The relations
 * (docs/architecture.md "Incremental gate", soundness contract):
 * - every `refs` entry (any attribute referencing another resource's key), except references to a resource
 *   group or subscription ({@link CONTAINER_TYPES});
 * - known id strings: any string value (at any depth) that equals, or starts with `<id>/`, another resource's
 *   known `values.id` (case-insensitive; e.g. a diagnostic setting's target `…/blobServices/default`);
 * - the name joins of the effective stage ({@link NAME_RELATIONS}: an NSG rule's `network_security_group_name`,
 *   an APIM child's `api_management_name`, storage network rules' `storage_account_name`);
 * - the same stack, for the types listed in {@link STACK_LINKED_TYPES} (Kyverno: a cluster and the helm
 *   releases / manifests of its stack; an APIM service and its policies).
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
 * releases/manifests (k8s/kyverno_policies), an APIM service and its stack's products, APIs,
 * operations, product links and policies (the effective stage joins them by name within the service:
 * rules apim/jwt_rate_limit, apim/pan_masking, gw/api_request_validation under policies/zonegate/rules/).
 */
export const STACK_LINKED_TYPES: ReadonlySet<string> = new Set([
  "azurerm_kubernetes_cluster",
  "helm_release",
  "kubernetes_manifest",
  "azurerm_api_management",
  "azurerm_api_management_policy",
  "azurerm_api_management_api",
  "azurerm_api_management_api_policy",
  "azurerm_api_management_api_operation",
  "azurerm_api_management_api_operation_policy",
  "azurerm_api_management_product",
  "azurerm_api_management_product_api",
  "azurerm_api_management_product_policy",
]);

/**
 * Name joins of the effective stage: the attribute, and the types whose `name` it designates. Resources with
 * the same value of the attribute are kept together too (grouped by name when the parent is not in the input).
 */
export const NAME_RELATIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["network_security_group_name", ["azurerm_network_security_group"]],
  ["api_management_name", ["azurerm_api_management"]],
  ["storage_account_name", ["azurerm_storage_account"]],
];

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

/** The module instance part of an address (`module.a["x"].module.b.`), empty at the root. */
function modulePath(address: string): string {
  const m = /^(?:module\.[^.[]+(?:\[[^\]]*\])?\.)*/.exec(address);
  return m ? m[0] : "";
}

/** Types whose id prefixes every id inside them: linked by exact id or reference only. */
const CONTAINER_TYPES: ReadonlySet<string> = new Set(["azurerm_resource_group", "azurerm_subscription"]);

/** Every string value in v, at any depth (iterative: values may be deep). */
function allStrings(v: unknown, out: string[]): void {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x === "string") out.push(x);
    else if (Array.isArray(x)) for (const e of x) stack.push(e);
    else if (x && typeof x === "object") for (const e of Object.values(x)) stack.push(e);
  }
}

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
  const chunks: number[][] = [];
  let cur: number[] = [];
  for (const c of components(resources)) {
    if (cur.length > 0 && cur.length + c.length > max) {
      chunks.push(cur);
      cur = [];
    }
    for (const i of c) cur.push(i);
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/**
 * The components of the input: sets of input indexes (ascending, in order of first member) that rules or the
 * effective stage may relate to each other — the relations listed at the top of this file.
 */
export function components(resources: readonly ResourceModel[]): number[][] {
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
      // Per stack and module instance: a plan of many landing zones is one stack of one module each. (A rule
      // relating them across module instances could report more in chunks — never less: the cluster and its
      // Kyverno releases, the service and its policies, are declared together.)
      const key = `${r.stack}\0${modulePath(r.address)}`;
      const s = stackLinked.get(key);
      if (s === undefined) stackLinked.set(key, i);
      else uf.union(s, i);
    }
  });
  // Name joins: parents by (type, name), children by (attribute, value).
  const parentTypes = new Set(NAME_RELATIONS.flatMap(([, ts]) => ts));
  const byName = new Map<string, number>();
  resources.forEach((r, i) => {
    const n = r.values?.name;
    if (parentTypes.has(r.type) && typeof n === "string" && n !== "") {
      const k = `${r.type}\0${n.toLowerCase()}`;
      const prev = byName.get(k);
      if (prev === undefined) byName.set(k, i);
      else uf.union(prev, i);
    }
  });
  const byNameValue = new Map<string, number>();
  resources.forEach((r, i) => {
    for (const [attr, types] of NAME_RELATIONS) {
      const v = r.values?.[attr];
      if (typeof v !== "string" || v === "") continue;
      const l = v.toLowerCase();
      for (const t of types) {
        const j = byName.get(`${t}\0${l}`);
        if (j !== undefined) uf.union(i, j);
      }
      const k = `${attr}\0${l}`;
      const prev = byNameValue.get(k);
      if (prev === undefined) byNameValue.set(k, i);
      else uf.union(prev, i);
    }
  });
  resources.forEach((r, i) => {
    for (const keys of Object.values(r.refs ?? {})) {
      for (const k of keys) {
        const j = byKey.get(k);
        // A reference to a resource group (its name, for `resource_group_name`) relates nothing: no rule
        // judges a resource by its group's other members.
        if (j !== undefined && !CONTAINER_TYPES.has(resources[j].type)) uf.union(i, j);
      }
    }
    if (byId.size === 0) return;
    const strs: string[] = [];
    // Not the resource's own id (it starts with its resource group's id).
    for (const [k, v] of Object.entries(r.values ?? {})) if (k !== "id") allStrings(v, strs);
    for (const s of strs) {
      const l = s.toLowerCase();
      const j = byId.get(l);
      if (j !== undefined) uf.union(i, j);
      // `<id>/<child>` strings (sub-resources) relate to the id's resource too — not to the resource group
      // or subscription every id starts with (that would join the whole input into one chunk).
      for (let p = l.indexOf("/", 1); p > 0; p = l.indexOf("/", p + 1)) {
        const k = byId.get(l.slice(0, p));
        if (k !== undefined && !CONTAINER_TYPES.has(resources[k].type)) uf.union(i, k);
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
  return [...comps.values()];
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
  for (const f of evaluateDeleted(bundle, resources.length, complete, { deleted, offboarding })) out.push(f);
  return out;
}

/**
 * A split evaluation's outright deletes, judged on their own: their indices follow the `n` resources', as in
 * one evaluation. None when there are none.
 */
export function evaluateDeleted(
  bundle: Bundle,
  n: number,
  complete: boolean,
  { deleted, offboarding }: GateInputExtras,
): RawFinding[] {
  if (!deleted?.length) return [];
  return evaluate(bundle, buildGateInput([], complete, { deleted, offboarding })).map((f) => ({
    ...f,
    resource: n + f.resource,
  }));
}
