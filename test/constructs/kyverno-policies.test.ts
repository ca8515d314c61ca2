// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { KyvernoPolicies } from "../../constructs/kyverno-policies";
import { sharedClusterPolicies, tenantNamespacePolicies } from "../../lib/kyverno/policies";
import type { KyvernoPolicy } from "../../lib/kyverno/types";
import { testTenant } from "../helpers/tenants";
import { all, parse } from "../helpers/synth";

Testing.setupJest();

const synth = (policies: readonly KyvernoPolicy[]) =>
  Testing.synthScope((s) => {
    new KyvernoPolicies(s, "policies", { policies });
  });

describe("KyvernoPolicies", () => {
  it("applies each policy as its own kubernetes_manifest, the generator's JSON unchanged", () => {
    const policies = sharedClusterPolicies("prod");
    const tf = parse(synth(policies));
    const manifests = all(tf, "kubernetes_manifest");
    expect(manifests).toHaveLength(policies.length);
    const byName = (a: KyvernoPolicy, b: KyvernoPolicy) => a.metadata.name.localeCompare(b.metadata.name);
    expect(manifests.map((m) => m.manifest as KyvernoPolicy).sort(byName)).toEqual(
      policies.map((p) => JSON.parse(JSON.stringify(p)) as KyvernoPolicy).sort(byName),
    );
    expect(Object.keys(tf.resource.kubernetes_manifest).every((k) => k.startsWith("policies_cpol-"))).toBe(true);
    for (const m of manifests) expect(m.field_manager).toEqual({ name: "zonegate", force_conflicts: true });
  });

  it("keeps the policies' kinds and prod failure actions (ZG-K8S-001/002)", () => {
    const tf = parse(synth(sharedClusterPolicies("prod")));
    for (const m of all(tf, "kubernetes_manifest")) {
      const manifest = m.manifest as KyvernoPolicy;
      expect(manifest.kind).toBe("ClusterPolicy");
      expect(manifest.apiVersion).toBe("kyverno.io/v1");
      for (const r of manifest.spec.rules) if (r.validate) expect(r.validate.failureAction).toBe("Enforce");
    }
    const dev = parse(synth(sharedClusterPolicies("dev")));
    const actions = all(dev, "kubernetes_manifest").flatMap((m) =>
      (m.manifest as KyvernoPolicy).spec.rules.flatMap((r) => (r.validate ? [r.validate.failureAction] : [])),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(["Audit"]));
  });

  it("applies namespaced Policies in their namespace", () => {
    const policies = tenantNamespacePolicies(testTenant(), "prod", "northwind-bank");
    const out = synth(policies);
    expect(out).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({
        kind: "Policy",
        metadata: expect.objectContaining({ name: "allowed-registries", namespace: "northwind-bank" }),
      }),
    });
    expect(Object.keys(parse(out).resource.kubernetes_manifest).every((k) => k.startsWith("policies_pol-"))).toBe(true);
  });

  it("rejects duplicates, a Policy without a namespace and a ClusterPolicy with one", () => {
    const [cpol] = sharedClusterPolicies("prod");
    const [pol] = tenantNamespacePolicies(testTenant(), "prod", "northwind-bank");
    expect(() => synth([cpol, cpol])).toThrow(/duplicate policy ClusterPolicy\/\/disallow-latest-tag/);
    expect(() => synth([{ ...pol, metadata: { ...pol.metadata, namespace: undefined } }])).toThrow(/needs a namespace/);
    expect(() => synth([{ ...cpol, metadata: { ...cpol.metadata, namespace: "x" } }])).toThrow(
      /must not have a namespace/,
    );
    expect(all(parse(synth([])), "kubernetes_manifest")).toHaveLength(0);
  });
});
