/**
 * The effective-configuration stage (design.md "Trust model"): between reading (normalize → ResourceModel[])
 * and evaluating. Each merge (one file each) computes, for the resources it knows, the configuration in force
 * after apply — parents merged with their split child resources, APIM policy scopes resolved through
 * `<base />`, Kyverno policies with what weakens them — plus derived facts (address arithmetic, parsed XML,
 * dates and durations as days). The result is one optional `effective` object per resource index; rules read
 * `r.effective.<fact>`, and each fact that describes a gap names the resource that caused it (`at`, an index
 * into input.resources).
 */
import type { ResourceModel } from "../model";
import { GateError } from "../errors";
import { EffectiveContext, type Effective } from "./context";
import { mergeApiManagement } from "./api-management";
import { mergeKeyVaults } from "./key-vault";
import { mergeKeyVaultKeys } from "./key-vault-key";
import { mergeKyverno } from "./kyverno";
import { mergeNetworkSecurityGroups } from "./network-security-group";
import { mergeStorageAccounts } from "./storage-account";
import { mergeVirtualNetworks } from "./virtual-network";

export type { Effective } from "./context";

const MERGES: readonly [string, (ctx: EffectiveContext) => void][] = [
  ["network security groups", mergeNetworkSecurityGroups],
  ["virtual networks", mergeVirtualNetworks],
  ["storage accounts", mergeStorageAccounts],
  ["key vaults", mergeKeyVaults],
  ["key vault keys", mergeKeyVaultKeys],
  ["API Management policies", mergeApiManagement],
  ["Kyverno policies", mergeKyverno],
];

export interface EffectiveOptions {
  /** Plan time, for dates (key expiry). @default now */
  readonly now?: Date;
}

/** The effective view of each resource (same order as `resources`; undefined where no merge applies). */
export function computeEffective(
  resources: readonly ResourceModel[],
  opts: EffectiveOptions = {},
): (Effective | undefined)[] {
  const ctx = new EffectiveContext(resources, opts.now ?? new Date());
  for (const [what, merge] of MERGES) {
    try {
      merge(ctx);
    } catch (e) {
      // Never a partial view: a merge that cannot finish means the gate cannot decide (exit 2).
      throw new GateError(`effective configuration of ${what} could not be computed: ${(e as Error).message}`);
    }
  }
  return ctx.out;
}
