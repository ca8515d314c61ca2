/**
 * Kyverno — the Kyverno admission controller installed with Helm (`@cdktf/provider-helm`), pinned chart version,
 * in its own namespace, highly available outside dev.
 *
 * Secure by default: chart version pinned (3.3.6 = Kyverno v1.13.4, the CRDs the policy tests validate against);
 * 3 admission-controller replicas with a PodDisruptionBudget in prod and staging (the policies fail closed there,
 * so Kyverno must survive a node/zone loss); PolicyExceptions disabled (exceptions belong to the gate's
 * reviewed waiver file, not to anyone who can create a CR); atomic install that rolls back on failure.
 *
 * Satisfies: none
 * Also configures: ZG-K8S-001, ZG-K8S-002
 */
import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import * as yaml from "js-yaml";
import type { Environment } from "../lib/tenant/types";
import { KYVERNO_CHART_VERSION, KYVERNO_NAMESPACE } from "../lib/kyverno/policies";

export const KYVERNO_CHART_REPOSITORY = "https://kyverno.github.io/kyverno/";

export interface KyvernoProps {
  /** Environment: drives replica counts. Required. */
  readonly env: Environment;
  /**
   * Helm chart version (pinned).
   * @default KYVERNO_CHART_VERSION (3.3.6 → Kyverno v1.13.4)
   */
  readonly chartVersion?: string;
  /**
   * Helm provider (when the stack has more than one).
   * @default the stack's default helm provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Resources the release waits for (e.g. the user node pool, where Kyverno runs).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Chart values for an environment (exported for tests and docs). */
export function kyvernoValues(env: Environment): Record<string, unknown> {
  const ha = env !== "dev";
  const controller = (replicas: number) => ({
    replicas,
    podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
  });
  return {
    admissionController: controller(ha ? 3 : 1),
    backgroundController: controller(ha ? 2 : 1),
    cleanupController: controller(ha ? 2 : 1),
    reportsController: controller(ha ? 2 : 1),
    features: { policyExceptions: { enabled: false } },
  };
}

export class Kyverno extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: KyvernoProps) {
    super(scope, id);
    const version = props.chartVersion ?? KYVERNO_CHART_VERSION;
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`${this.node.path}: the Kyverno chart version must be pinned (x.y.z), got "${version}"`);
    }
    this.release = new Release(this, "release", {
      provider: props.provider,
      name: "kyverno",
      repository: KYVERNO_CHART_REPOSITORY,
      chart: "kyverno",
      version,
      namespace: KYVERNO_NAMESPACE,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 900,
      maxHistory: 10,
      values: [yaml.dump(kyvernoValues(props.env), { sortKeys: true })],
      dependsOn: props.dependsOn,
    });
  }
}
