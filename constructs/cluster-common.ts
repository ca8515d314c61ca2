/**
 * What every cluster stack puts beside its AKS cluster (constructs/aks-cluster.ts), shared by the tenant compute
 * stack (dedicated tiers, and standard tenants reaching their region's shared cluster) and the platform cluster
 * stack:
 *  - {@link clusterProviders}: the kubernetes (+ helm) providers configured from the cluster's own attributes, with
 *    no static credential (tokens from Entra ID through the `kubelogin` exec plugin, see stacks/compute-stack.ts);
 *  - {@link ingressNamespace}: the platform ingress namespace (no tenant label, Pod Security `restricted`; `baseline`
 *    enforced in dev), the one namespace the tenants' default-deny NetworkPolicies admit traffic from.
 * Both add their constructs directly to the given scope (the stack), under fixed ids.
 *
 * Satisfies: none
 */
import type { Construct } from "constructs";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { Environment } from "../lib/tenant/types";
import { PLATFORM_INGRESS_NAMESPACE } from "../lib/kyverno/policies";
import type { KubeAccess } from "./aks-cluster";

/** kubernetes + helm providers for a cluster (no static credentials). */
export function clusterProviders(scope: Construct, access: KubeAccess, helm: boolean): void {
  new KubernetesProvider(scope, "kubernetes", {
    host: access.host,
    clusterCaCertificate: access.clusterCaCertificate,
    exec: [{ apiVersion: access.exec.apiVersion, command: access.exec.command, args: [...access.exec.args] }],
  });
  if (helm) {
    new HelmProvider(scope, "helm", {
      kubernetes: {
        host: access.host,
        clusterCaCertificate: access.clusterCaCertificate,
        exec: { apiVersion: access.exec.apiVersion, command: access.exec.command, args: [...access.exec.args] },
      },
    });
  }
}

/** The platform ingress namespace (no tenant label, PSA restricted). */
export function ingressNamespace(scope: Construct, env: Environment): NamespaceV1 {
  return new NamespaceV1(scope, "platform-ingress-namespace", {
    metadata: {
      name: PLATFORM_INGRESS_NAMESPACE,
      labels: {
        "app.kubernetes.io/managed-by": "zonegate",
        "pod-security.kubernetes.io/enforce": env === "dev" ? "baseline" : "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  });
}
