/**
 * VNet + inline `subnet` blocks: a subnet declared inside `azurerm_virtual_network` is a subnet like any
 * `azurerm_subnet`, so it is listed in `effective.subnets` on the VNet with what the subnet rules judge
 * (its NSG: the block's `security_group` / `network_security_group_id`, known, unknown or a reference).
 */
import { EffectiveContext, blocks, isUnknown, type Tri } from "./context";

export interface InlineSubnetFacts {
  readonly name: string;
  readonly nsg: Tri;
}

export function mergeVirtualNetworks(ctx: EffectiveContext): void {
  for (const i of ctx.of("azurerm_virtual_network")) {
    const r = ctx.resources[i];
    const subnets: InlineSubnetFacts[] = blocks(r.values, "subnet").map((b, k) => {
      const names = ["security_group", "network_security_group_id"];
      // A known id or a reference to a resource in the input is an NSG; an unknown value without one is unknown.
      const known = names.some(
        (n) =>
          (typeof b[n] === "string" && (b[n] as string).trim() !== "") ||
          (r.refs[`subnet.${k}.${n}`] ?? []).length > 0 ||
          (r.refs[`subnet.${n}`] ?? []).length > 0,
      );
      const later = names.some((n) => isUnknown(r, `subnet.${k}.${n}`));
      return { name: typeof b.name === "string" ? b.name : "?", nsg: known ? "yes" : later ? "unknown" : "no" };
    });
    // A whole `subnet` list unknown at plan time is the provider's computed view of separately managed
    // azurerm_subnet resources (Optional+Computed), judged as those resources; only known blocks are inline.
    if (subnets.length) ctx.set(i, "subnets", subnets);
  }
}
