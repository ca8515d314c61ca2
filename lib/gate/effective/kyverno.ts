/**
 * Kyverno policies + what weakens them: a Kyverno ClusterPolicy/Policy (`kubernetes_manifest`) is only as strong
 * as its exceptions, overrides and webhook settings. Each policy gets `effective.kyverno_weakenings`, a list of
 * `{at, why, unknown}` naming the resource that weakens it:
 *
 *  - a `PolicyException` manifest anywhere in the input naming the policy (when the stack's Kyverno release does not disable
 *    policy exceptions, which the chart enables by default);
 *  - `validationFailureActionOverrides` (spec, or per validate rule `failureActionOverrides`) to Audit;
 *  - webhook `failurePolicy: Ignore` (spec.failurePolicy or spec.webhookConfiguration.failurePolicy), or
 *    `admission: false`;
 *  - namespace exclusions beyond the system namespaces (lib/kyverno/policies.ts SYSTEM_NAMESPACES): a rule's
 *    `exclude` naming other namespaces or selecting namespaces by label;
 *  - on the Helm release (`helm_release` of the kyverno chart, `values` YAML and `set` entries):
 *    `features.forceFailurePolicyIgnore.enabled`, webhook `namespaceSelector` exclusions and `resourceFilters`
 *    that exempt namespaces other than the system ones. Values known only after apply are unknown weakenings.
 */
import * as yaml from "js-yaml";
import { SYSTEM_NAMESPACES } from "../../kyverno/policies";
import type { ResourceModel } from "../model";
import { EffectiveContext, blocks, isUnknown } from "./context";

type Json = Record<string, unknown>;
interface Weakening {
  readonly at: number;
  readonly why: string;
  readonly unknown: boolean;
}

const SYSTEM = new Set(SYSTEM_NAMESPACES);
const obj = (x: unknown): Json => (x && typeof x === "object" && !Array.isArray(x) ? (x as Json) : {});
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const lower = (x: unknown) => (typeof x === "string" ? x.toLowerCase() : "");

function setPath(o: Json, name: string, value: unknown): void {
  const parts = name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, "."));
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== "object" || Array.isArray(cur[p])) cur[p] = {};
    cur = cur[p] as Json;
  }
  cur[parts[parts.length - 1]] = value;
}

function scalar(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (v === "true" || v === "false") return v === "true";
  return v;
}

const parsed = new Map<string, Json | Error>();

/** Chart values documents (YAML) parsed once per distinct text. */
function loadValues(doc: string): Json | Error {
  let v = parsed.get(doc);
  if (v === undefined) {
    if (parsed.size > 1000) parsed.clear();
    try {
      v = obj(yaml.load(doc, { schema: yaml.JSON_SCHEMA }));
    } catch (e) {
      v = new Error((e as Error).message.split("\n")[0]);
    }
    parsed.set(doc, v);
  }
  return v;
}

/** The release's effective chart values: `values` documents merged in order, then `set` entries. */
function helmValues(r: ResourceModel): { values: Json; unknown: boolean; error?: string } {
  const out: Json = {};
  let unknown = isUnknown(r, "values") || isUnknown(r, "set");
  const deep = (a: Json, b: Json) => {
    for (const [k, v] of Object.entries(b)) {
      if (v && typeof v === "object" && !Array.isArray(v) && a[k] && typeof a[k] === "object")
        deep(a[k] as Json, v as Json);
      else a[k] = v;
    }
  };
  for (const doc of list(r.values.values)) {
    if (doc === null) {
      unknown = true;
      continue;
    }
    if (typeof doc !== "string") continue;
    const v = loadValues(doc);
    if (v instanceof Error) return { values: out, unknown, error: `values are not valid YAML (${v.message})` };
    deep(out, structuredClone(v));
  }
  for (const key of ["set", "set_sensitive"]) {
    for (const s of blocks(r.values, key)) {
      if (typeof s.name !== "string") continue;
      if (s.value === null || s.value === undefined) unknown = true;
      else setPath(out, s.name, scalar(s.value));
    }
  }
  return { values: out, unknown };
}

/** Namespaces a label selector leaves out (NotIn values, or `In` lists: everything else). */
function selectorExclusions(sel: unknown): string[] {
  const out: string[] = [];
  for (const e of list(obj(sel).matchExpressions)) {
    const x = obj(e);
    if (x.key !== "kubernetes.io/metadata.name") {
      out.push(`namespaces selected by label ${String(x.key)}`);
      continue;
    }
    if (x.operator === "NotIn") out.push(...list(x.values).map(String));
    else out.push(`every namespace outside [${list(x.values).map(String).join(", ")}]`);
  }
  if (Object.keys(obj(obj(sel).matchLabels)).length) out.push("namespaces selected by matchLabels");
  return out.filter((n) => !SYSTEM.has(n));
}

function releaseWeakenings(r: ResourceModel, at: number): { weak: Weakening[]; exceptionsEnabled: boolean } {
  const { values, unknown, error } = helmValues(r);
  const weak: Weakening[] = [];
  if (error) weak.push({ at, why: `the Kyverno release's ${error}`, unknown: false });
  if (unknown) weak.push({ at, why: "the Kyverno release's values are known only after apply", unknown: true });
  const features = obj(values.features);
  if (obj(features.forceFailurePolicyIgnore).enabled === true)
    weak.push({ at, why: "the Kyverno release forces every webhook to failurePolicy Ignore", unknown: false });
  const config = obj(values.config);
  for (const w of list(config.webhooks)) {
    const ex = selectorExclusions(obj(w).namespaceSelector);
    if (ex.length) weak.push({ at, why: `the Kyverno webhook skips ${ex.join(", ")}`, unknown: false });
  }
  for (const f of list(config.resourceFilters)) {
    const m = /^\[([^,\]]*),([^,\]]*)(?:,([^\]]*))?\]$/.exec(String(f).trim());
    if (!m) continue;
    const [kind, ns] = [m[1].trim(), m[2].trim()];
    const podKinds =
      kind === "*" || kind === "*/*" || /^(pod|deployment|statefulset|daemonset|job|cronjob|replicaset)$/i.test(kind);
    if (podKinds && !SYSTEM.has(ns))
      weak.push({ at, why: `the Kyverno release filters out ${kind} in namespace ${ns}`, unknown: false });
  }
  const pe = obj(features.policyExceptions).enabled;
  return { weak, exceptionsEnabled: pe !== false };
}

function policyWeakenings(m: Json, at: number): Weakening[] {
  const spec = obj(m.spec);
  const out: Weakening[] = [];
  const overrides = [
    ...list(spec.validationFailureActionOverrides),
    ...list(spec.rules).flatMap((ru) => list(obj(obj(ru).validate).failureActionOverrides)),
  ];
  for (const o of overrides) {
    const x = obj(o);
    if (lower(x.action) !== "enforce")
      out.push({
        at,
        why: `overrides the action to ${String(x.action)} in namespaces [${list(x.namespaces).map(String).join(", ")}]`,
        unknown: false,
      });
  }
  const fp = [spec.failurePolicy, obj(spec.webhookConfiguration).failurePolicy];
  if (fp.some((x) => lower(x) === "ignore"))
    out.push({ at, why: "has webhook failurePolicy Ignore (admission fails open)", unknown: false });
  if (spec.admission === false) out.push({ at, why: "is not applied at admission (admission: false)", unknown: false });
  for (const ru of list(spec.rules)) {
    const ex = obj(obj(ru).exclude);
    for (const f of [...list(ex.any), ...list(ex.all), ...(Object.keys(obj(ex.resources)).length ? [ex] : [])]) {
      const res = obj(obj(f).resources);
      const ns = list(res.namespaces)
        .map(String)
        .filter((n) => !SYSTEM.has(n));
      if (ns.length)
        out.push({ at, why: `rule ${String(obj(ru).name)} excludes namespaces ${ns.join(", ")}`, unknown: false });
      if (res.namespaceSelector)
        out.push({ at, why: `rule ${String(obj(ru).name)} excludes namespaces by label selector`, unknown: false });
    }
  }
  return out;
}

const glob = (pattern: string, s: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(s);

export function mergeKyverno(ctx: EffectiveContext): void {
  const releases = ctx.of("helm_release").filter((i) => lower(ctx.resources[i].values.chart).includes("kyverno"));
  const byStack = new Map<string, { weak: Weakening[]; exceptionsEnabled: boolean }[]>();
  for (const i of releases) {
    const r = ctx.resources[i];
    const w = releaseWeakenings(r, i);
    byStack.set(r.stack, [...(byStack.get(r.stack) ?? []), w]);
  }
  const all = [...byStack.values()].flat();
  // Per stack, once: the releases' weakenings, and whether policy exceptions are enabled there (the chart's
  // default; a stack without a release follows the input's releases).
  const stackWeak = new Map<string, { weak: Weakening[]; exceptionsEnabled: boolean }>();
  const forStack = (stack: string) => {
    let s = stackWeak.get(stack);
    if (!s) {
      const here = byStack.get(stack) ?? [];
      const scope = here.length ? here : all;
      stackWeak.set(
        stack,
        (s = {
          weak: here.flatMap((w) => w.weak),
          exceptionsEnabled: scope.length === 0 || scope.some((w) => w.exceptionsEnabled),
        }),
      );
    }
    return s;
  };
  const manifests = ctx.of("kubernetes_manifest");
  const exceptions: { at: number; names: string[] }[] = [];
  for (const i of manifests) {
    const r = ctx.resources[i];
    const m = obj(r.values.manifest);
    if (m.kind !== "PolicyException") continue;
    const names = list(obj(m.spec).exceptions).map((e) => String(obj(e).policyName ?? ""));
    exceptions.push({ at: i, names: isUnknown(r, "manifest.spec") ? ["*"] : names });
  }
  for (const i of manifests) {
    const r = ctx.resources[i];
    const m = obj(r.values.manifest);
    if (m.kind !== "ClusterPolicy" && m.kind !== "Policy") continue;
    const name = String(obj(m.metadata).name ?? "");
    const ns = obj(m.metadata).namespace;
    const full = m.kind === "Policy" && typeof ns === "string" ? `${ns}/${name}` : name;
    const st = forStack(r.stack);
    const weak = [...policyWeakenings(m, i), ...st.weak];
    if (st.exceptionsEnabled && exceptions.length) {
      for (const e of exceptions) {
        if (e.names.some((n) => glob(n, full) || glob(n, name)))
          weak.push({ at: e.at, why: "is switched off for some resources by a PolicyException", unknown: false });
      }
    }
    if (weak.length) ctx.set(i, "kyverno_weakenings", weak);
  }
}
