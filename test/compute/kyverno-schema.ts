/**
 * Validation of Kyverno policy manifests against Kyverno's own CRD schemas (test/fixtures/kyverno, copied from
 * the github.com/kyverno/kyverno v1.13.4 Go module, Apache-2.0 — see ATTRIBUTION.md there).
 *
 * The CRD's `openAPIV3Schema` becomes a JSON Schema for ajv:
 *  - `x-kubernetes-*` keywords are dropped (ajv does not know them), but before that
 *  - every object schema with `properties` and without `x-kubernetes-preserve-unknown-fields` /
 *    `additionalProperties` gets `additionalProperties: false`. That is what the API server's strict field
 *    validation (`kubectl apply --validate=strict`, server-side apply) does with unknown fields; without it a
 *    misspelt field (`validationFailureActon`) would be silently pruned instead of rejected.
 * Fields under `x-kubernetes-preserve-unknown-fields` (e.g. `validate.pattern`, `generate.data`) are free-form in
 * Kyverno's schema too, so they are not checked here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

const FIXTURES = path.join(__dirname, "..", "fixtures", "kyverno");

type Json = Record<string, unknown>;

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith("x-kubernetes-")) continue;
    if (k === "properties" && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, toJsonSchema(pv)]));
    } else if (k === "description" || k === "default") {
      continue;
    } else {
      out[k] = toJsonSchema(v);
    }
  }
  if (
    src.properties &&
    src["x-kubernetes-preserve-unknown-fields"] !== true &&
    src.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

export interface CrdValidator {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly scope: "Cluster" | "Namespaced";
  readonly validate: ValidateFunction;
}

const cache = new Map<string, CrdValidator>();

/** A validator for the served storage version of a CRD fixture file. */
export function crdValidator(file: string): CrdValidator {
  const hit = cache.get(file);
  if (hit) return hit;
  const crd = yaml.load(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as Json;
  const spec = crd.spec as Json;
  const versions = spec.versions as Json[];
  const v = versions.find((x) => x.storage === true && x.served === true);
  if (!v) throw new Error(`${file}: no served storage version`);
  const schema = toJsonSchema((v.schema as Json).openAPIV3Schema) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validator: CrdValidator = {
    kind: (spec.names as Json).kind as string,
    group: spec.group as string,
    version: v.name as string,
    scope: spec.scope as "Cluster" | "Namespaced",
    validate: ajv.compile(schema),
  };
  cache.set(file, validator);
  return validator;
}

export const clusterPolicyCrd = () => crdValidator("kyverno.io_clusterpolicies.yaml");
export const policyCrd = () => crdValidator("kyverno.io_policies.yaml");

/** Problems of a manifest against its CRD (empty = valid), including apiVersion/kind/scope checks. */
export function crdProblems(manifest: unknown): string[] {
  const m = manifest as Json;
  const crd = m.kind === "ClusterPolicy" ? clusterPolicyCrd() : m.kind === "Policy" ? policyCrd() : undefined;
  if (!crd) return [`unknown kind ${String(m.kind)}`];
  const problems: string[] = [];
  if (m.apiVersion !== `${crd.group}/${crd.version}`) problems.push(`apiVersion must be ${crd.group}/${crd.version}`);
  const meta = (m.metadata ?? {}) as Json;
  if (crd.scope === "Cluster" && meta.namespace !== undefined) problems.push("cluster-scoped object has a namespace");
  if (crd.scope === "Namespaced" && typeof meta.namespace !== "string")
    problems.push("namespaced object has no namespace");
  if (!crd.validate(manifest)) {
    problems.push(
      ...(crd.validate.errors ?? []).map(
        (e: ErrorObject) =>
          `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? `: ${(e.params as { additionalProperty: string }).additionalProperty}` : ""}`,
      ),
    );
  }
  return problems;
}
