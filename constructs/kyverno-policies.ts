/**
 * KyvernoPolicies — Kyverno ClusterPolicy / Policy objects (lib/kyverno/policies.ts) applied as
 * `kubernetes_manifest` resources.
 *
 * Each policy is one resource, addressed by kind and name, so a policy change is a one-resource diff the gate and
 * reviewers can read. The manifests are plain JSON of the typed generators; the tests validate them against
 * Kyverno's own CRD schema.
 *
 * Note: `kubernetes_manifest` reads the CRD schema from the cluster at plan time, so the Kyverno CRDs (the
 * Helm release) must exist before these can be planned — pass the release in `dependsOn`, and on a brand-new
 * cluster apply in two steps (see docs in stacks/compute-stack.ts).
 *
 * Satisfies: ZG-K8S-001, ZG-K8S-002
 */
import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KyvernoPolicy } from "../lib/kyverno/types";

export interface KyvernoPoliciesProps {
  /** The policies (from lib/kyverno/policies.ts). Required. */
  readonly policies: readonly KyvernoPolicy[];
  /**
   * Resources that must exist first (the Kyverno Helm release, the namespace of namespaced policies).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Kubernetes provider (when the stack has more than one).
   * @default the stack's default kubernetes provider
   */
  readonly provider?: TerraformProvider;
}

export class KyvernoPolicies extends Construct {
  public readonly manifests: Record<string, Manifest> = {};

  constructor(scope: Construct, id: string, props: KyvernoPoliciesProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const p of props.policies) {
      const key = `${p.kind}/${p.metadata.namespace ?? ""}/${p.metadata.name}`;
      if (seen.has(key)) throw new Error(`${this.node.path}: duplicate policy ${key}`);
      seen.add(key);
      if (p.kind === "Policy" && !p.metadata.namespace)
        throw new Error(`${this.node.path}: Policy ${key} needs a namespace`);
      if (p.kind === "ClusterPolicy" && p.metadata.namespace) {
        throw new Error(`${this.node.path}: ClusterPolicy ${key} must not have a namespace`);
      }
      const rid = `${p.kind === "ClusterPolicy" ? "cpol" : "pol"}-${p.metadata.name}`;
      this.manifests[p.metadata.name] = new Manifest(this, rid, {
        provider: props.provider,
        manifest: JSON.parse(JSON.stringify(p)) as Record<string, unknown>,
        fieldManager: { name: "zonegate", forceConflicts: true },
        dependsOn: props.dependsOn,
      });
    }
  }
}
