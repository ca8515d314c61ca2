/**
 * Key Vault + `azurerm_key_vault_access_policy` + `azurerm_role_assignment` (scope = the vault), and the
 * vault firewall's `ip_rules` by address arithmetic.
 *
 *  - `effective.access_policies`: every access policy in force (inline `access_policy` blocks, at = the vault;
 *    separate access-policy resources, at = that resource; one whose vault is not in the input carries itself);
 *  - `effective.role_assignments`: role assignments scoped to the vault (`at`, `role` name, or "unknown");
 *  - `effective.network_acls`: the vault firewall's ip_rules reach (see storage-account.ts aclFacts).
 */
import { aclFacts } from "./storage-account";
import { EffectiveContext, blocks, isUnknown } from "./context";

const KV = "azurerm_key_vault";

export function mergeKeyVaults(ctx: EffectiveContext): void {
  for (const i of ctx.of(KV)) {
    const r = ctx.resources[i];
    const acl = blocks(r.values, "network_acls")[0];
    if (acl) ctx.set(i, "network_acls", aclFacts(r, i, acl, "network_acls.0"));
    // A whole `access_policy` list unknown at plan time is the provider's computed view of separate
    // access-policy resources (Optional+Computed), judged as those; only known blocks are inline policies.
    const inline = blocks(r.values, "access_policy");
    if (inline.length)
      ctx.set(
        i,
        "access_policies",
        inline.map(() => ({ at: i })),
      );
  }
  for (const j of ctx.of("azurerm_key_vault_access_policy")) {
    const p = ctx.resources[j];
    const vaults = ctx.parents(p, "key_vault_id", KV);
    if (!vaults.length) ctx.push(j, "access_policies", { at: j });
    for (const v of vaults) ctx.push(v, "access_policies", { at: j });
  }
  for (const j of ctx.of("azurerm_role_assignment")) {
    const a = ctx.resources[j];
    const vaults = ctx.parents(a, "scope", KV);
    if (!vaults.length) continue;
    const name = a.values.role_definition_name;
    const role = typeof name === "string" ? name : isUnknown(a, "role_definition_name") ? "unknown" : "by-id";
    for (const v of vaults) ctx.push(v, "role_assignments", { at: j, role });
  }
}
