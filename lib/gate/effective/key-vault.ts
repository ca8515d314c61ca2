/**
 * Key Vault + `azurerm_key_vault_access_policy` + `azurerm_role_assignment` (scope = the vault), and the
 * vault firewall's `ip_rules` by address arithmetic.
 *
 *  - `effective.access_policies`: every access policy in force (inline `access_policy` blocks, at = the vault;
 *    separate access-policy resources, at = that resource; one whose vault is not in the input carries itself);
 *  - `effective.role_assignments`: role assignments scoped to the vault (`at`, `role`: the name, a built-in
 *    role's name from its id, "custom" for another role id, "unknown" when neither is known at plan time);
 *  - `effective.network_acls`: the vault firewall's ip_rules reach (see storage-account.ts aclFacts).
 */
import { aclFacts } from "./storage-account";
import { EffectiveContext, blocks, configuredUnknown } from "./context";

const KV = "azurerm_key_vault";

/** Built-in role definition GUIDs of the roles the Key Vault rules judge (role_definition_id instead of a name). */
const BUILTIN_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "f25e0fa2-a7c8-4377-a976-54943a77a395": "Key Vault Contributor",
  "8b54135c-b56d-4d72-a534-26097cfdc8d8": "Key Vault Data Access Administrator",
};

export function mergeKeyVaults(ctx: EffectiveContext): void {
  for (const i of ctx.of(KV)) {
    const r = ctx.resources[i];
    const acl = blocks(r.values, "network_acls")[0];
    if (acl) ctx.set(i, "network_acls", aclFacts(r, i, acl, "network_acls.0"));
    // A whole `access_policy` list unknown in a plan is the provider's Optional+Computed view of separate
    // access-policy resources (judged as those); one computed by the configuration (synth/HCL) is a policy.
    const inline = blocks(r.values, "access_policy");
    if (inline.length)
      ctx.set(
        i,
        "access_policies",
        inline.map(() => ({ at: i })),
      );
    else if (configuredUnknown(r, "access_policy")) ctx.set(i, "access_policies", [{ at: i }]);
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
    const id = a.values.role_definition_id;
    const builtin = typeof id === "string" ? BUILTIN_ROLES[id.split("/").pop()!.toLowerCase()] : undefined;
    const role =
      typeof name === "string" ? name : builtin !== undefined ? builtin : typeof id === "string" ? "custom" : "unknown";
    for (const v of vaults) ctx.push(v, "role_assignments", { at: j, role });
  }
}
