/**
 * VNet + inline `subnet` blocks: a subnet declared inside `azurerm_virtual_network` is a subnet like any
 * `azurerm_subnet`, so it is listed in `effective.subnets` on the VNet with what the subnet rules judge
 * (its NSG: the block's `security_group` / `network_security_group_id`, known, unknown or a reference).
 */
import { EffectiveContext, blocks, configuredUnknown, isUnknown, type Tri } from "./context";

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
    // A whole `subnet` list unknown in a plan is the provider's Optional+Computed view of separate azurerm_subnet
    // resources (judged as those); one computed by the configuration (synth/HCL) cannot be verified.
    if (configuredUnknown(r, "subnet") && subnets.length === 0)
      subnets.push({ name: "subnet (computed by the configuration)", nsg: "unknown" });
    if (subnets.length) ctx.set(i, "subnets", subnets);
  }
}
