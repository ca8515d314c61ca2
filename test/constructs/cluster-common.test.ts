// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { clusterProviders, ingressNamespace } from "../../constructs/cluster-common";
import { kubeloginExec, type KubeAccess } from "../../constructs/aks-cluster";
import { PLATFORM_INGRESS_NAMESPACE } from "../../lib/kyverno/policies";

Testing.setupJest();

const access: KubeAccess = { host: "https://aks-t.privatelink", clusterCaCertificate: "ca", exec: kubeloginExec() };
const exec = {
  api_version: "client.authentication.k8s.io/v1beta1",
  command: "kubelogin",
  args: [...kubeloginExec().args],
};

describe("clusterProviders", () => {
  it("configures kubernetes and helm from the cluster with the kubelogin exec plugin, no static credential", () => {
    const out = Testing.synthScope((s) => clusterProviders(s, access, true));
    expect(out).toHaveProviderWithProperties(KubernetesProvider, {
      host: "https://aks-t.privatelink",
      cluster_ca_certificate: "ca",
      exec: [exec],
    });
    expect(out).toHaveProviderWithProperties(HelmProvider, {
      kubernetes: { host: "https://aks-t.privatelink", cluster_ca_certificate: "ca", exec },
    });
    const providers = JSON.parse(out).provider as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(providers).sort()).toEqual(["helm", "kubernetes"]);
    for (const key of ["token", "client_certificate", "client_key", "password", "username", "config_path"]) {
      expect(JSON.stringify(providers)).not.toContain(`"${key}"`);
    }
  });

  it("adds no helm provider when not asked to", () => {
    const out = Testing.synthScope((s) => clusterProviders(s, access, false));
    expect(out).toHaveProvider(KubernetesProvider);
    expect(out).not.toHaveProvider(HelmProvider);
  });
});

describe("ingressNamespace", () => {
  it("is the unlabelled platform ingress namespace, Pod Security restricted (baseline enforced in dev)", () => {
    for (const [env, enforce] of [
      ["prod", "restricted"],
      ["staging", "restricted"],
      ["dev", "baseline"],
    ] as const) {
      const out = Testing.synthScope((s) => {
        ingressNamespace(s, env);
      });
      expect(out).toHaveResourceWithProperties(NamespaceV1, {
        metadata: {
          name: PLATFORM_INGRESS_NAMESPACE,
          labels: {
            "app.kubernetes.io/managed-by": "zonegate",
            "pod-security.kubernetes.io/enforce": enforce,
            "pod-security.kubernetes.io/warn": "restricted",
          },
        },
      });
    }
    expect(PLATFORM_INGRESS_NAMESPACE).toBe("platform-ingress");
  });
});
