import { testTenant } from "../helpers/tenants";
import {
  dedicatedClusterPolicies,
  failureActionFor,
  POLICY_NAMES,
  requireLabels,
  sharedClusterPolicies,
  tenantNamespacePolicies,
  allowedRegistries,
  checkRegistry,
  SYSTEM_NAMESPACES,
  TENANT_LABEL,
  DATA_CLASSIFICATION_LABEL,
  KYVERNO_CHART_VERSION,
  KYVERNO_APP_VERSION,
} from "../../lib/kyverno/policies";
import type { KyvernoPolicy } from "../../lib/kyverno/types";
import type { Environment } from "../../lib/tenant/types";
import { clusterPolicyCrd, crdProblems, policyCrd } from "./kyverno-schema";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

const ENVS: Environment[] = ["dev", "staging", "prod"];
const tenant = testTenant({
  id: "northwind-bank",
  tier: "enterprise",
  environments: ["dev", "staging", "prod"],
});

function all(env: Environment): KyvernoPolicy[] {
  return [
    ...dedicatedClusterPolicies(tenant, env),
    ...sharedClusterPolicies(env),
    ...tenantNamespacePolicies(tenant, env, "northwind-bank"),
  ];
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

describe("Kyverno CRD fixtures", () => {
  test("are Kyverno 1.13's own kyverno.io/v1 ClusterPolicy and Policy CRDs", () => {
    expect(clusterPolicyCrd()).toMatchObject({
      kind: "ClusterPolicy",
      group: "kyverno.io",
      version: "v1",
      scope: "Cluster",
    });
    expect(policyCrd()).toMatchObject({ kind: "Policy", group: "kyverno.io", version: "v1", scope: "Namespaced" });
    expect(fs.readFileSync(path.join(__dirname, "..", "fixtures", "kyverno", "ATTRIBUTION.md"), "utf8")).toMatch(
      /Apache License 2\.0/,
    );
  });

  test("the pinned chart is the one whose app version the CRDs come from", () => {
    expect(KYVERNO_CHART_VERSION).toBe("3.3.6");
    expect(KYVERNO_APP_VERSION).toBe("v1.13.4");
  });
});

describe.each(ENVS)("generated policies (%s) validate against Kyverno's CRD schema", (env) => {
  test.each(all(env).map((p) => [`${p.kind} ${p.metadata.namespace ?? ""}/${p.metadata.name}`, p] as const))(
    "%s",
    (_n, p) => {
      expect(crdProblems(p)).toEqual([]);
    },
  );
});

describe("the schema check rejects what Kyverno would reject", () => {
  const base = dedicatedClusterPolicies(tenant, "prod")[0];

  test("a misspelt spec field (validationFailureActon)", () => {
    const p = clone(base) as unknown as { spec: Record<string, unknown> };
    p.spec.validationFailureActon = "Enforce";
    expect(crdProblems(p).join("\n")).toMatch(/must NOT have additional properties: validationFailureActon/);
  });

  test("a misspelt rule field (failureActon) and a bad enum value", () => {
    const p = clone(base) as unknown as { spec: { rules: { validate: Record<string, unknown> }[] } };
    p.spec.rules[0].validate.failureActon = "Enforce";
    expect(crdProblems(p).join("\n")).toMatch(/failureActon/);
    const q = clone(base) as unknown as { spec: { rules: { validate: Record<string, unknown> }[] } };
    q.spec.rules[0].validate.failureAction = "enforce-ish";
    expect(crdProblems(q).join("\n")).toMatch(/allowed values/);
  });

  test("a misspelt generate field, a missing rule name, a namespaced ClusterPolicy, a wrong apiVersion", () => {
    const gen = clone(
      dedicatedClusterPolicies(tenant, "prod").find((x) => x.metadata.name === "require-default-deny-networkpolicy")!,
    ) as unknown as {
      spec: { rules: { generate: Record<string, unknown>; name?: string }[] };
      metadata: Record<string, unknown>;
      apiVersion: string;
    };
    gen.spec.rules[0].generate.synchronise = true;
    expect(crdProblems(gen).join("\n")).toMatch(/synchronise/);
    delete gen.spec.rules[0].generate.synchronise;
    delete gen.spec.rules[0].name;
    expect(crdProblems(gen).join("\n")).toMatch(/must have required property 'name'/);
    gen.spec.rules[0].name = "x";
    gen.metadata.namespace = "default";
    expect(crdProblems(gen).join("\n")).toMatch(/cluster-scoped object has a namespace/);
    delete gen.metadata.namespace;
    gen.apiVersion = "kyverno.io/v2beta1";
    expect(crdProblems(gen).join("\n")).toMatch(/apiVersion must be kyverno.io\/v1/);
  });
});

describe("policy set", () => {
  test("a dedicated cluster gets all six ClusterPolicies, exactly named", () => {
    const ps = dedicatedClusterPolicies(tenant, "prod");
    expect(ps.map((p) => p.metadata.name).sort()).toEqual([...POLICY_NAMES].sort());
    expect(new Set(ps.map((p) => p.kind))).toEqual(new Set(["ClusterPolicy"]));
  });

  test("every policy carries title, category, severity and description annotations", () => {
    for (const p of all("prod")) {
      const a = p.metadata.annotations;
      for (const k of ["title", "category", "severity", "description"]) {
        expect(a[`policies.kyverno.io/${k}`]).toEqual(expect.any(String));
        expect(a[`policies.kyverno.io/${k}`].length).toBeGreaterThan(2);
      }
      expect(["low", "medium", "high", "critical"]).toContain(a["policies.kyverno.io/severity"]);
    }
  });

  test("the shared cluster: tenant-independent ClusterPolicies; tenants add namespaced Policies", () => {
    expect(
      sharedClusterPolicies("prod")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([
      "allowed-registries",
      "disallow-latest-tag",
      "require-default-deny-networkpolicy",
      "require-labels",
      "require-resource-limits",
      "restricted-pod-security",
    ]);
    const ns = tenantNamespacePolicies(tenant, "prod", "northwind-bank");
    expect(ns.map((p) => [p.kind, p.metadata.namespace, p.metadata.name])).toEqual([
      ["Policy", "northwind-bank", "allowed-registries"],
      ["Policy", "northwind-bank", "require-labels"],
    ]);
    // namespaced policies need no system-namespace exclusions; cluster-wide ones exclude them
    for (const p of ns) for (const r of p.spec.rules) expect(r.exclude).toBeUndefined();
    for (const p of sharedClusterPolicies("prod")) {
      for (const r of p.spec.rules) {
        if (r.validate) expect(r.exclude?.any?.[0].resources.namespaces).toEqual(SYSTEM_NAMESPACES);
      }
    }
  });
});

describe("enforcement per environment", () => {
  test("prod and staging Enforce (fail closed), dev Audit (fail open)", () => {
    expect(failureActionFor("prod")).toBe("Enforce");
    expect(failureActionFor("staging")).toBe("Enforce");
    expect(failureActionFor("dev")).toBe("Audit");
    for (const env of ENVS) {
      for (const p of all(env)) {
        expect(p.spec.webhookConfiguration?.failurePolicy).toBe(env === "dev" ? "Ignore" : "Fail");
        // Kyverno 1.13: per-rule failureAction only, never the deprecated spec-level field.
        expect(p.spec).not.toHaveProperty("validationFailureAction");
        for (const r of p.spec.rules) {
          if (r.validate) expect(r.validate.failureAction).toBe(env === "dev" ? "Audit" : "Enforce");
        }
      }
    }
  });
});

describe("policy contents", () => {
  const byName = (env: Environment) =>
    Object.fromEntries(dedicatedClusterPolicies(tenant, env).map((p) => [p.metadata.name, p]));

  test("disallow-latest-tag: tag required and latest refused on all container kinds", () => {
    const rules = byName("prod")["disallow-latest-tag"].spec.rules;
    expect(rules.map((r) => r.validate?.pattern)).toEqual([
      {
        spec: {
          containers: [{ image: "*:*" }],
          "=(initContainers)": [{ image: "*:*" }],
          "=(ephemeralContainers)": [{ image: "*:*" }],
        },
      },
      {
        spec: {
          containers: [{ image: "!*:latest" }],
          "=(initContainers)": [{ image: "!*:latest" }],
          "=(ephemeralContainers)": [{ image: "!*:latest" }],
        },
      },
    ]);
  });

  test("require-resource-limits: cpu and memory requests and limits", () => {
    const r = byName("prod")["require-resource-limits"].spec.rules[0];
    expect(r.validate?.pattern).toMatchObject({
      spec: {
        containers: [{ resources: { limits: { cpu: "?*", memory: "?*" }, requests: { cpu: "?*", memory: "?*" } } }],
      },
    });
  });

  test("restricted-pod-security: the PSS restricted profile", () => {
    expect(byName("prod")["restricted-pod-security"].spec.rules[0].validate?.podSecurity).toEqual({
      level: "restricted",
      version: "latest",
    });
  });

  test("require-default-deny-networkpolicy: generate + synchronize for tenant namespaces", () => {
    const r = byName("prod")["require-default-deny-networkpolicy"].spec.rules[0];
    expect(r.match.any?.[0].resources).toEqual({
      kinds: ["Namespace"],
      selector: { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] },
    });
    expect(r.generate).toMatchObject({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      name: "default-deny",
      namespace: "{{request.object.metadata.name}}",
      synchronize: true,
      data: { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    });
    expect(r.validate).toBeUndefined();
  });

  test("allowed-registries: the tenant's registries, each as a path prefix", () => {
    const t2 = testTenant({ id: "contoso" });
    const p = allowedRegistries({ env: "prod", scope: { kind: "cluster" } }, [
      "mcr.microsoft.com",
      "contosoacr.azurecr.io/apps",
    ]);
    expect(p.spec.rules[0].validate?.pattern).toEqual({
      spec: {
        containers: [{ image: "mcr.microsoft.com/* | contosoacr.azurecr.io/apps/*" }],
        "=(initContainers)": [{ image: "mcr.microsoft.com/* | contosoacr.azurecr.io/apps/*" }],
        "=(ephemeralContainers)": [{ image: "mcr.microsoft.com/* | contosoacr.azurecr.io/apps/*" }],
      },
    });
    expect(
      dedicatedClusterPolicies(t2, "prod").find((x) => x.metadata.name === "allowed-registries")!.spec.rules[0].validate
        ?.pattern,
    ).toMatchObject({
      spec: { containers: [{ image: "mcr.microsoft.com/*" }] },
    });
    // a registry string cannot smuggle pattern operators in
    for (const bad of ["*", "docker.io | *", "!mcr.microsoft.com", "MCR.microsoft.com", "evil.io/*", ""]) {
      expect(() => checkRegistry(bad)).toThrow();
    }
  });

  test("require-labels: tenant id and data classification values", () => {
    const r = byName("prod")["require-labels"].spec.rules[0];
    expect(r.validate?.pattern).toEqual({
      metadata: { labels: { [TENANT_LABEL]: "northwind-bank", [DATA_CLASSIFICATION_LABEL]: "confidential" } },
    });
    const shared = sharedClusterPolicies("prod").find((p) => p.metadata.name === "require-labels")!.spec.rules[0];
    expect(shared.validate?.pattern).toEqual({
      metadata: { labels: { [TENANT_LABEL]: "?*", [DATA_CLASSIFICATION_LABEL]: "?*" } },
    });
    expect(shared.match.any?.[0].resources.namespaceSelector).toEqual({
      matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }],
    });
    expect(() =>
      requireLabels({ env: "prod", scope: { kind: "cluster" } }, { dataClassification: "secret | *" }),
    ).toThrow(/label value/);
  });

  test("manifests round-trip through YAML unchanged (what kubectl would send)", () => {
    for (const p of all("prod")) expect(yaml.load(yaml.dump(p))).toEqual(p);
  });
});
