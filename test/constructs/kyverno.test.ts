// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import * as yaml from "js-yaml";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Kyverno, KYVERNO_CHART_REPOSITORY, kyvernoValues } from "../../constructs/kyverno";
import { KYVERNO_CHART_VERSION, KYVERNO_NAMESPACE } from "../../lib/kyverno/policies";
import { all, parse } from "../helpers/synth";

Testing.setupJest();

const release = (env: "dev" | "staging" | "prod", chartVersion?: string) =>
  all(
    parse(
      Testing.synthScope((s) => {
        new Kyverno(s, "kyverno", { env, chartVersion });
      }),
    ),
    "helm_release",
  );

describe("Kyverno", () => {
  it("installs the pinned kyverno chart atomically in its own namespace (ZG-K8S-001)", () => {
    const out = Testing.synthScope((s) => {
      new Kyverno(s, "kyverno", { env: "prod" });
    });
    expect(out).toHaveResourceWithProperties(Release, {
      name: "kyverno",
      chart: "kyverno",
      repository: KYVERNO_CHART_REPOSITORY,
      version: KYVERNO_CHART_VERSION,
      namespace: KYVERNO_NAMESPACE,
      create_namespace: true,
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
    });
    expect(KYVERNO_CHART_VERSION).toBe("3.3.6");
    expect(KYVERNO_CHART_REPOSITORY).toBe("https://kyverno.github.io/kyverno/");
  });

  it("runs three admission controllers with a PDB outside dev, and never webhook overrides (ZG-K8S-002)", () => {
    for (const env of ["prod", "staging"] as const) {
      const [r] = release(env);
      expect(r.set).toBeUndefined();
      const values = yaml.load((r.values as string[])[0]) as Record<string, Record<string, unknown>>;
      expect(values).toEqual(kyvernoValues(env));
      expect(values.admissionController).toEqual({
        replicas: 3,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
      });
      expect(values.config).toBeUndefined();
      expect(values.features).toEqual({ policyExceptions: { enabled: false } });
    }
    const dev = kyvernoValues("dev");
    expect(dev.admissionController).toEqual({ replicas: 1, podDisruptionBudget: { enabled: false, minAvailable: 1 } });
    expect(dev.features).toEqual({ policyExceptions: { enabled: false } });
  });

  it("refuses an unpinned chart version", () => {
    expect(release("prod", "3.4.0")[0].version).toBe("3.4.0");
    for (const v of ["3.x", "latest", ">=3.3.0", ""]) expect(() => release("prod", v)).toThrow(/must be pinned/);
  });
});
