/**
 * A generated gate.json shaped like the bench estate of scripts/bench/tenant-gen.ts (N tenants × 2 regions ×
 * 2 environments × 6 layers, plus the platform stacks) for the HTML report's browser benchmark: the stacks
 * carry the managed resource types a premium tenant's layers synthesize today, the rules are the real
 * catalogue (policies/dist/manifest.json), and a deterministic fraction of the (rule, resource)
 * evaluations is turned into findings (violations, advisories, waived) with waivers for the waived ones.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { typeMatches, type GateDoc, type GateFinding, type GateRule } from "../../lib/report/posture";
import { Rng } from "./rng";
import { tenantId } from "./tenant-gen";

/** Managed resource types per layer (northwind-bank prod, synthesized 2026-11-30). */
const LAYERS: Record<string, Record<string, number>> = {
  foundation: {
    azurerm_log_analytics_workspace: 1,
    azurerm_log_analytics_workspace_table: 9,
    azurerm_management_lock: 1,
    azurerm_monitor_diagnostic_setting: 1,
    azurerm_resource_group: 1,
  },
  network: {
    azurerm_monitor_diagnostic_setting: 5,
    azurerm_network_security_group: 4,
    azurerm_network_security_rule: 4,
    azurerm_private_dns_zone: 4,
    azurerm_private_dns_zone_virtual_network_link: 4,
    azurerm_subnet: 4,
    azurerm_subnet_network_security_group_association: 4,
    azurerm_virtual_network: 1,
  },
  security: {
    azurerm_disk_encryption_set: 1,
    azurerm_key_vault: 1,
    azurerm_key_vault_key: 3,
    azurerm_monitor_diagnostic_setting: 1,
    azurerm_private_endpoint: 1,
    azurerm_role_assignment: 2,
    azurerm_user_assigned_identity: 1,
  },
  audit: {
    azurerm_log_analytics_data_export_rule: 1,
    azurerm_monitor_diagnostic_setting: 2,
    azurerm_network_watcher: 1,
    azurerm_network_watcher_flow_log: 1,
    azurerm_private_endpoint: 1,
    azurerm_role_assignment: 1,
    azurerm_storage_account: 1,
    azurerm_storage_container: 8,
    azurerm_storage_container_immutability_policy: 8,
    azurerm_user_assigned_identity: 1,
  },
  compute: {
    azurerm_kubernetes_cluster: 1,
    azurerm_kubernetes_cluster_node_pool: 1,
    azurerm_monitor_diagnostic_setting: 1,
    azurerm_role_assignment: 3,
    azurerm_user_assigned_identity: 1,
    helm_release: 1,
    kubernetes_limit_range_v1: 1,
    kubernetes_manifest: 6,
    kubernetes_namespace_v1: 2,
    kubernetes_network_policy_v1: 1,
  },
  edge: {
    azurerm_api_management: 1,
    azurerm_api_management_diagnostic: 1,
    azurerm_api_management_policy: 1,
    azurerm_api_management_product: 1,
    azurerm_api_management_product_policy: 1,
    azurerm_monitor_diagnostic_setting: 1,
    azurerm_network_security_rule: 2,
  },
};
const REGIONS = [
  ["westeurope", "northeurope"],
  ["eastus2", "centralus"],
  ["uksouth", "ukwest"],
];

export interface ReportGenOptions {
  readonly tenants: number;
  /** Fraction of (rule, resource) evaluations that become findings. */
  readonly findingRate?: number;
  readonly seed?: number;
  readonly root?: string;
}

/** The generated gate.json document. */
export function generateGateDoc(o: ReportGenOptions): GateDoc {
  const root = o.root ?? path.resolve(__dirname, "../..");
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "policies/dist/manifest.json"), "utf8")) as {
    rules: GateRule[];
    opaVersion?: string;
    wasmSha256?: string;
  };
  const rules = manifest.rules.map((r) => ({ ...r, mutations: undefined }));
  const rng = new Rng(o.seed ?? 13);
  const rate = o.findingRate ?? 0.01;
  const stacks: GateDoc["stacks"] = [];
  const findings: GateFinding[] = [];
  const waivers: NonNullable<GateDoc["waivers"]> = [];
  const addStack = (name: string, tenant: string | null, env: string, types: Record<string, number>) => {
    const file = `cdktf.out/stacks/${name}/cdk.tf.json`;
    let violations = 0;
    let advisories = 0;
    let waived = 0;
    for (const [type, n] of Object.entries(types)) {
      for (let k = 0; k < n; k++) {
        const address = `${type}.r${k}_${rng.hex(8)}`;
        for (const r of rules) {
          if (!typeMatches(r.resource_types, type) || !rng.chance(rate)) continue;
          const roll = rng.next();
          const status = roll < 0.8 ? "violation" : roll < 0.9 ? "advisory" : "waived";
          if (status === "violation") violations++;
          else if (status === "advisory") advisories++;
          else waived++;
          const waiver =
            status === "waived"
              ? {
                  reason: `generated exception ${rng.hex(4)}`,
                  approver: `ciso@${tenant ?? "platform"}.example`,
                  expires: `2031-0${1 + rng.int(9)}-1${rng.int(9)}`,
                  file: "waivers.yaml",
                  line: waivers.length * 7 + 1,
                  address,
                }
              : undefined;
          if (waiver)
            waivers.push({
              rule: r.id,
              tenant: tenant ?? "platform",
              ...waiver,
              line: waiver.line,
              file: "waivers.yaml",
            });
          findings.push({
            rule: r.id,
            title: r.title,
            severity: r.severity,
            enforcement: "mandatory",
            status,
            message: `${r.title}: generated finding`,
            unknown: false,
            key: `${name}::${address}`,
            address,
            type,
            stack: name,
            tenant,
            env,
            file,
            line: 10 + k,
            constructPath: `${name}/${address}`,
            sourceKind: "synth",
            ...(r.remediation ? { remediation: r.remediation } : {}),
            ...(r.frameworks ? { frameworks: r.frameworks as Record<string, string[]> } : {}),
            ...(waiver ? { waiver } : {}),
          });
        }
      }
    }
    const resources = Object.values(types).reduce((a, b) => a + b, 0);
    stacks.push({
      name,
      kind: "synth",
      file,
      tenant,
      env,
      resources,
      violations,
      advisories,
      waived,
      resourceTypes: types,
    });
  };
  for (let i = 0; i < o.tenants; i++) {
    const id = tenantId(i);
    for (const env of ["dev", "prod"])
      for (const region of REGIONS[i % REGIONS.length])
        for (const [layer, types] of Object.entries(LAYERS))
          addStack(`${id}-${env}-${region}-${layer}`, id, env, types);
  }
  for (const env of ["dev", "prod"])
    for (const regions of REGIONS)
      for (const region of regions) {
        const types: Record<string, number> = {};
        for (const layer of ["foundation", "network", "security", "audit", "compute"])
          for (const [t, n] of Object.entries(LAYERS[layer])) types[t] = (types[t] ?? 0) + n;
        addStack(`platform-${env}-${region}-compute`, null, env, types);
      }
  const violations = findings.filter((f) => f.status === "violation").length;
  return {
    tool: "zonegate",
    exitCode: violations > 0 ? 1 : 0,
    pass: violations === 0,
    complete: true,
    findings,
    notEvaluated: [],
    unusedWaivers: [],
    warnings: [],
    stacks,
    totals: {
      stacks: stacks.length,
      resources: stacks.reduce((a, s) => a + s.resources, 0),
      rules: rules.length,
      violations,
      advisories: findings.filter((f) => f.status === "advisory").length,
      waived: findings.filter((f) => f.status === "waived").length,
      expiredWaivers: 0,
      notEvaluated: 0,
    },
    rules,
    bundle: { opaVersion: manifest.opaVersion, wasmSha256: manifest.wasmSha256 },
    waivers,
  };
}
