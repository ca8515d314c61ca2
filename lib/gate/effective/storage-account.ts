/**
 * Storage account + `azurerm_storage_account_network_rules` + `azurerm_storage_account_customer_managed_key`.
 *
 * `effective.network_acls` lists every firewall definition in force on the account: the inline `network_rules`
 * block and each separate network-rules resource (applied after the account, so it replaces the inline one;
 * both are judged, the worst wins). Each entry names its declaring resource (`at`), the default action and what
 * the `ip_rules` allow-list reaches by address arithmetic. No definition at all is the provider default, Allow.
 * `effective.customer_managed_key` is set when a CMK is configured inline or by a separate CMK resource.
 */
import type { ResourceModel } from "../model";
import { reach } from "./cidr";
import { EffectiveContext, blocks, configuredUnknown, isUnknown, present, strings } from "./context";

const SA = "azurerm_storage_account";

export interface NetworkAclFacts {
  readonly at: number;
  /** "deny" | "allow" | "unknown" (absent = the provider default, allow). */
  readonly default_action: string;
  /** The ip_rules reach more than one /16 of public addresses (or the whole internet). */
  readonly ip_broad: boolean;
  readonly ip_unknown: boolean;
  readonly ip_unresolved: readonly string[];
  readonly ip_sources: readonly string[];
}

export function aclFacts(r: ResourceModel, at: number, x: Record<string, unknown>, base: string): NetworkAclFacts {
  const p = (k: string) => (base ? `${base}.${k}` : k);
  const da = x.default_action;
  const default_action =
    typeof da === "string" ? da.toLowerCase() : isUnknown(r, p("default_action")) ? "unknown" : "allow";
  const ips = [...strings(x.ip_rules), ...strings(x.ip_range_filter)];
  const rc = reach(ips);
  return {
    at,
    default_action,
    ip_broad: rc.broad,
    ip_unknown: isUnknown(r, p("ip_rules")),
    ip_unresolved: rc.unresolved,
    ip_sources: rc.publicSources,
  };
}

export function mergeStorageAccounts(ctx: EffectiveContext): void {
  const acls = new Map<number, NetworkAclFacts[]>();
  const unknownInline = new Set<number>();
  for (const i of ctx.of(SA)) {
    const r = ctx.resources[i];
    const inline = blocks(r.values, "network_rules");
    acls.set(
      i,
      inline.map((b) => aclFacts(r, i, b, "network_rules.0")),
    );
    if (inline.length === 0 && configuredUnknown(r, "network_rules")) unknownInline.add(i);
    const cmk = ["customer_managed_key.key_vault_key_id", "customer_managed_key.managed_hsm_key_id"].some((n) =>
      present(r, n),
    );
    if (cmk) ctx.set(i, "customer_managed_key", { at: i });
  }
  const separate = new Set<number>();
  for (const j of ctx.of("azurerm_storage_account_network_rules")) {
    const n = ctx.resources[j];
    const facts = aclFacts(n, j, n.values, "");
    let owners = ctx.parents(n, "storage_account_id", SA);
    if (!owners.length) owners = ctx.parents(n, "storage_account_name", SA, "name");
    if (!owners.length) ctx.push(j, "network_acls", facts);
    for (const o of owners) {
      acls.get(o)?.push(facts);
      separate.add(o);
    }
  }
  // A whole network_rules block computed by the configuration cannot be verified, unless a separate
  // network-rules resource manages the firewall (then that one is judged). In a plan, a whole unknown block is
  // the provider's Optional+Computed view: absent from the configuration, so the provider default is judged.
  for (const i of unknownInline) {
    if (separate.has(i)) continue;
    acls.get(i)!.push({
      at: i,
      default_action: "unknown",
      ip_broad: false,
      ip_unknown: true,
      ip_unresolved: [],
      ip_sources: [],
    });
  }
  for (const j of ctx.of("azurerm_storage_account_customer_managed_key")) {
    const c = ctx.resources[j];
    if (!["key_vault_key_id", "managed_hsm_key_id", "key_name"].some((k) => present(c, k))) continue;
    for (const o of ctx.parents(c, "storage_account_id", SA)) ctx.set(o, "customer_managed_key", { at: j });
  }
  for (const [i, list] of acls) {
    // No firewall definition anywhere: the provider default (Allow) is in force.
    ctx.set(
      i,
      "network_acls",
      list.length
        ? list
        : [
            {
              at: i,
              default_action: "allow",
              ip_broad: false,
              ip_unknown: false,
              ip_unresolved: [],
              ip_sources: [],
              absent: true,
            },
          ],
    );
  }
}
