/**
 * ComputeStack — layer 5 of a tenant × env × region.
 *
 * Topology by tier:
 *  - `premium` / `enterprise`: a dedicated private AKS cluster (constructs/aks-cluster.ts) in the tenant's `aks`
 *    subnet with the tenant's DES and workspace, Kyverno (Helm) and all six ClusterPolicies with the tenant's values,
 *    the platform ingress namespace, and the tenant's workload namespace (TenantNamespace, no quota — the cluster
 *    is the tenant's).
 *  - `standard`: no cluster here. The tenant gets a namespace on its region's shared platform cluster
 *    (stacks/platform-cluster-stack.ts, `platform-<env>-<region>-compute`, which this stack depends on): namespace
 *    with labels, ResourceQuota from tenant.cluster.quota, LimitRange, the default-deny NetworkPolicy, and the
 *    tenant's namespaced Kyverno Policies (allowed-registries, require-labels).
 *
 * Cluster access: the kubernetes/helm providers are configured from the cluster resource's own attributes
 * (`kube_config.0.host` / `cluster_ca_certificate`; for standard tenants through the platform stack's remote state)
 * with no static credential — local accounts are disabled, so tokens come from Entra ID through the `kubelogin`
 * exec plugin (`kubelogin get-token --login azurecli`; CI logs the Azure CLI in with its federated identity). Nothing
 * calls the cloud at synth. At plan/apply the runner needs `kubelogin` on PATH, line of sight to the private API
 * server (a runner inside or peered with the VNet), and an Azure RBAC role on the cluster (Azure Kubernetes
 * Service RBAC Cluster Admin for the deployer).
 *
 * First deployment of a dedicated cluster: `kubernetes_manifest` needs the API server and the Kyverno CRDs at plan
 * time, so a new cluster is applied in two steps — `-target` the cluster, node pool and Kyverno release first,
 * then the whole stack. (Provider limitation, documented in hashicorp/terraform-provider-kubernetes.)
 */
import { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
import type { ChangeWindow, Tenant } from "../lib/tenant/types";
import { minNodesFor } from "../lib/tenant/defaults";
import { dedicatedClusterPolicies, tenantNamespacePolicies } from "../lib/kyverno/policies";
import { AksCluster, type KubeAccess, type MaintenanceWindowProps } from "../constructs/aks-cluster";
import { Kyverno } from "../constructs/kyverno";
import { KyvernoPolicies } from "../constructs/kyverno-policies";
import { TenantNamespace } from "../constructs/tenant-namespace";
import { clusterProviders, ingressNamespace } from "../constructs/cluster-common";
import { BaseStack, type BaseStackOptions, type StackContext } from "./base-stack";
import type { FoundationStack } from "./foundation-stack";
import type { NetworkStack } from "./network-stack";
import type { SecurityStack } from "./security-stack";
import type { LayerDefinition } from "./layer";

/**
 * What a standard tenant's compute stack needs of its region's shared platform cluster stack
 * (stacks/platform-cluster-stack.ts): a stack to depend on, and its cluster's access (for the providers).
 */
export interface SharedClusterHandle extends TerraformStack {
  readonly cluster: { kubeAccess(): KubeAccess };
}

export interface ComputeStackDeps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  readonly security: SecurityStack;
  /** The region's shared platform cluster (required for standard-tier tenants). */
  readonly platform?: SharedClusterHandle;
}

const WEEKDAYS: Record<ChangeWindow["days"][number], string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** UTC offset (`+HH:MM`) of an IANA zone at a fixed winter date (standard time; deterministic across runs). */
export function standardUtcOffset(timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date(Date.UTC(2025, 0, 15, 12)))
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-]\d{2}:\d{2})?/.exec(part ?? "");
  if (!m) throw new Error(`cannot determine the UTC offset of time zone "${timeZone}"`);
  return m[1] ?? "+00:00";
}

/**
 * The AKS planned-maintenance window for a tenant's change window: the first allowed day, the window's start and
 * length. AKS needs ≥ 4 hours; a shorter change window yields no AKS window (AKS then picks its own time, which
 * would be outside change control — so the tenant's window should be ≥ 4 h for clusters).
 */
export function maintenanceWindowFor(w: ChangeWindow): MaintenanceWindowProps | undefined {
  if (w.durationHours < 4 || w.days.length === 0) return undefined;
  return {
    dayOfWeek: WEEKDAYS[w.days[0]],
    startTime: w.start,
    durationHours: Math.min(w.durationHours, 24),
    utcOffset: standardUtcOffset(w.timezone),
  };
}

export class ComputeStack extends BaseStack {
  /** Dedicated tiers only. */
  public readonly cluster?: AksCluster;
  public readonly kyverno?: Kyverno;
  public readonly clusterPolicies?: KyvernoPolicies;
  public readonly namespace: TenantNamespace;

  constructor(scope: Construct, ctx: Omit<StackContext, "layer">, deps: ComputeStackDeps, opts: BaseStackOptions = {}) {
    super(scope, { ...ctx, layer: "compute" }, opts);
    const tenant: Tenant = this.tenant;
    const f = deps.foundation.handles;
    const n = deps.network.handles;
    const s = deps.security.handles;

    if (tenant.tier === "standard") {
      if (!deps.platform) {
        throw new Error(`stack ${this.stackName}: standard tenants need the region's platform cluster stack`);
      }
      this.addDependency(deps.platform);
      clusterProviders(this, deps.platform.cluster.kubeAccess(), false);
      this.namespace = new TenantNamespace(this, "namespace", {
        tenantId: tenant.id,
        dataClassification: tenant.dataClassification,
        env: ctx.env,
        quota: tenant.cluster.quota,
        policies: tenantNamespacePolicies(tenant, ctx.env, tenant.id),
      });
      return;
    }

    this.addDependency(deps.foundation);
    this.addDependency(deps.network);
    this.addDependency(deps.security);
    this.cluster = new AksCluster(this, "aks", {
      name: this.nameFor("kubernetesCluster"),
      resourceGroupName: f.resourceGroupName,
      location: ctx.region,
      env: ctx.env,
      dnsPrefix: this.nameFor("dnsPrefix"),
      subnetId: n.subnetIds.aks,
      privateDnsZoneId: n.privateDnsZoneIds.aks,
      diskEncryptionSetId: s.diskEncryptionSetId,
      workspaceId: f.workspaceId,
      userPool: {
        vmSize: tenant.cluster.vmSize,
        minCount: minNodesFor(tenant, ctx.env),
        maxCount: Math.max(tenant.cluster.maxNodes, minNodesFor(tenant, ctx.env)),
      },
      maintenanceWindow: maintenanceWindowFor(tenant.changeWindow),
      // prod: egress only through the network layer's firewall (PCI DSS 1.3.2)
      outboundType: n.egressThroughFirewall ? "userDefinedRouting" : "loadBalancer",
      tags: { ...f.tags },
    });
    clusterProviders(this, this.cluster.kubeAccess(), true);
    this.kyverno = new Kyverno(this, "kyverno", { env: ctx.env, dependsOn: [this.cluster.userPool] });
    this.clusterPolicies = new KyvernoPolicies(this, "cluster-policies", {
      policies: dedicatedClusterPolicies(tenant, ctx.env),
      dependsOn: [this.kyverno.release],
    });
    const ingress = ingressNamespace(this, ctx.env);
    this.namespace = new TenantNamespace(this, "namespace", {
      tenantId: tenant.id,
      dataClassification: tenant.dataClassification,
      env: ctx.env,
      // Created after the generate policy exists, so Kyverno generates its default-deny right away.
      dependsOn: [...Object.values(this.clusterPolicies.manifests), ingress],
    });
  }
}

/** Layer definition (registered in stacks/app.ts). */
export const computeLayer: LayerDefinition = {
  scope: "tenant",
  layer: "compute",
  build: (c) =>
    new ComputeStack(
      c.app,
      { tenant: c.tenant, env: c.env, region: c.region },
      {
        foundation: c.stack<FoundationStack>("foundation"),
        network: c.stack<NetworkStack>("network"),
        security: c.stack<SecurityStack>("security"),
        platform:
          c.tenant.tier === "standard"
            ? c.estate.require<BaseStack & SharedClusterHandle>(null, c.env, c.region, "compute")
            : undefined,
      },
      { backend: c.options.backend, env: c.options.env },
    ),
};
