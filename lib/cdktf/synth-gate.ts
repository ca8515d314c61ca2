/**
 * CDKTF-native gating: `cdktf synth` — and so `cdktf diff` / `cdktf deploy`, which synthesize first — runs
 * the zonegate gate over the synthesized estate inside the app, as cdk-nag does for the AWS CDK.
 *
 * An App-level construct validation (`app.node.addValidation`): CDKTF runs it after every stack has been
 * synthesized (aspects applied, escape hatches such as `addOverride` included) and before it writes the
 * manifest; a mandatory violation throws, so synth fails and `cdktf deploy` never reaches Terraform. Each
 * finding names the rule, the construct path, the resource, and the line of the tenant file whose value
 * drives the control (lib/tenant/yaml.ts positions).
 *
 * What this cannot see: the plan. A replace or delete, prior state, drift and values known only after
 * apply are judged only by `zonegate deploy` (saved plans, docs/deploying.md) — the recommended path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IValidation } from "constructs";
import { TerraformStack, type App } from "cdktf";
import { loadBundle, type Bundle } from "../gate/bundle";
import { buildGateInput, evaluate } from "../gate/engine";
import { normalizeStacks, readStack, RemoteStateResolver } from "../gate/normalize/synth";
import { displayPath } from "../gate/normalize/common";
import { computeVerdict, type Finding } from "../gate/verdict";
import { loadWaivers, today, type Waiver } from "../gate/waivers";
import type { Tenant } from "../tenant/types";
import { parseYamlWithPositions, positionOf, type NodePosition } from "../tenant/yaml";

export interface SynthGateOptions {
  /** Repo root: policies/dist and the policy sources (freshness), waivers.yaml. */
  readonly root: string;
  readonly tenants: readonly Tenant[];
  /** Waiver file (default `<root>/waivers.yaml` when present). */
  readonly waivers?: string;
  readonly now?: Date;
}

/** Tenant-file pointers whose values drive the controls of a resource type (first one present wins). */
const PROVENANCE: readonly [RegExp, readonly string[]][] = [
  [/^azurerm_log_analytics_workspace$/, ["/audit/interactiveRetentionDays", "/audit/totalRetentionDays"]],
  [/^azurerm_log_analytics_(workspace_table|data_export_rule)$/, ["/audit/totalRetentionDays"]],
  [/^azurerm_storage_container_immutability_policy$/, ["/audit/immutableRetentionDays", "/audit/totalRetentionDays"]],
  [/^azurerm_kubernetes_cluster/, ["/cluster/vmSize", "/cluster"]],
  [/^(kubernetes_|helm_|kubectl_)/, ["/cluster/allowedRegistries", "/cluster"]],
  [/^azurerm_api_management/, ["/gateway/oauth", "/gateway"]],
];

interface TenantFile {
  readonly file: string;
  readonly positions: ReadonlyMap<string, NodePosition>;
}

function tenantFile(t: Tenant, root: string): TenantFile | undefined {
  try {
    const file = path.isAbsolute(t.sourceFile) ? t.sourceFile : path.resolve(root, t.sourceFile);
    const parsed = parseYamlWithPositions(fs.readFileSync(file, "utf8"), file);
    return { file: displayPath(file, root), positions: parsed.positions };
  } catch {
    return undefined;
  }
}

/** `tenants/x.yaml:27:3 (audit.interactiveRetentionDays)` for a finding, or why there is none. */
export function provenance(
  f: Pick<Finding, "type" | "rule">,
  tenant: Tenant | undefined,
  tf: TenantFile | undefined,
  region?: string,
): string {
  if (!tenant) return "platform stack (no tenant file)";
  if (!tf) return `tenant ${tenant.id} (file not readable)`;
  const ri = Math.max(
    0,
    tenant.regions.findIndex((r) => r.name === region),
  );
  const candidates = [
    ...(f.rule.startsWith("ZG-RES-") ? [`/regions/${ri}/name`, "/residency"] : []),
    ...(/^azurerm_(virtual_network|subnet|network_security)/.test(f.type) ? [`/regions/${ri}/addressSpace`] : []),
    ...(PROVENANCE.find(([re]) => re.test(f.type))?.[1] ?? []),
    // Defaults are derived from the frameworks and tier (lib/tenant/defaults.ts).
    "/frameworks",
    "/tier",
  ];
  const hit = candidates.find((p) => tf.positions.has(p)) ?? "";
  const pos = positionOf(tf.positions, hit);
  const field = hit
    ? hit
        .slice(1)
        .replace(/\/(\d+)/g, "[$1]")
        .replace(/\//g, ".")
    : "file";
  return `${tf.file}:${pos.line}:${pos.column} (${field})`;
}

/** The App-level validation: gate the synthesized stacks of `app`, one error line per mandatory violation. */
export class SynthGate implements IValidation {
  constructor(
    private readonly app: App,
    private readonly bundle: Bundle,
    private readonly waivers: readonly Waiver[],
    private readonly opts: SynthGateOptions,
  ) {}

  public validate(): string[] {
    const t0 = performance.now();
    const errors = this.check();
    if (process.env.ZG_SYNTH_GATE_TIMING) {
      process.stderr.write(
        `zonegate synth gate: ${(performance.now() - t0).toFixed(0)} ms, ${errors.length} violation(s)\n`,
      );
    }
    return errors;
  }

  private check(): string[] {
    const stacks = this.app.node.findAll().filter(TerraformStack.isStack) as TerraformStack[];
    const files = stacks.map((s) => path.join(this.app.outdir, "stacks", s.node.id, "cdk.tf.json"));
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length)
      return [`zonegate gate: ${missing.length} synthesized stack file(s) missing (${missing[0]}) — refusing to pass`];
    const synthStacks = files.map((f) => readStack(f, this.opts.root));
    const resources = normalizeStacks(synthStacks, new RemoteStateResolver(synthStacks), this.opts.root);
    let verdict;
    try {
      const raw = evaluate(this.bundle, buildGateInput(resources, true));
      verdict = computeVerdict({
        raw,
        resources,
        complete: true,
        catalogue: this.bundle.catalogue,
        waivers: this.waivers,
        stacks: [],
        today: today(this.opts.now),
      });
    } catch (e) {
      return [`zonegate gate could not decide: ${(e as Error).message}`];
    }
    const byId = new Map(this.opts.tenants.map((t) => [t.id, t]));
    const files2 = new Map<string, TenantFile | undefined>();
    const regionOf = new Map(synthStacks.map((s) => [s.name, s.context?.region]));
    return verdict.findings
      .filter((f) => f.status === "violation")
      .map((f) => {
        const t = f.tenant ? byId.get(f.tenant) : undefined;
        if (t && !files2.has(t.id)) files2.set(t.id, tenantFile(t, this.opts.root));
        const where = provenance(f, t, t ? files2.get(t.id) : undefined, regionOf.get(f.stack));
        return (
          `${f.rule} (${f.severity}) ${f.message} — construct ${f.constructPath ?? f.stack} [${f.address}] — ` +
          `tenant value: ${where}${f.remediation ? ` — fix: ${f.remediation}` : ""}`
        );
      });
  }
}

/**
 * Load (and verify) the policy bundle and the waivers, then register the gate on the app. Async because the
 * Wasm bundle loads asynchronously; the validation itself is synchronous, as CDKTF requires.
 */
export async function addSynthGate(app: App, opts: SynthGateOptions): Promise<void> {
  const envDist = process.env.ZONEGATE_POLICY_DIST;
  const bundle = await loadBundle({ root: opts.root, ...(envDist ? { dist: envDist } : {}) });
  const file = opts.waivers ?? path.join(opts.root, "waivers.yaml");
  const waivers = loadWaivers(file, {
    knownRules: new Set(bundle.catalogue.keys()),
    required: opts.waivers !== undefined,
    display: displayPath(file, opts.root),
  });
  app.node.addValidation(new SynthGate(app, bundle, waivers, opts));
}
