/**
 * NSG + its rules: the inline `security_rule` blocks and every separate `azurerm_network_security_rule` that
 * names the group are one rule set (`effective.security_rules` on the NSG; a separate rule whose group is not
 * in the input carries its own). Each entry says which resource declared it (`at`) and what it means:
 * inbound allow or not, the destination port specs, and where the sources are by address arithmetic
 * (lib/gate/effective/cidr.ts), the tenant's own VNet address space counting as private.
 */
import type { ResourceModel } from "../model";
import { approvedRanges, reach, type Approved } from "./cidr";
import { EffectiveContext, blocks, configuredUnknown, isUnknown, strings, triEquals, type Tri } from "./context";

export interface SecurityRuleFacts {
  readonly at: number;
  readonly name: string;
  readonly allow_inbound: Tri;
  /** Lower-case protocol, or "unknown". */
  readonly protocol: string;
  readonly ports: readonly string[];
  readonly ports_unknown: boolean;
  /** internet: some source is public; private: none is; unknown: known only after apply; unresolvable: not an address or known tag. */
  readonly source: "internet" | "private" | "unknown" | "unresolvable";
  readonly sources: readonly string[];
}

const NSG = "azurerm_network_security_group";
const RULE = "azurerm_network_security_rule";

/** The tenant's own address space: known VNet address spaces of the same tenant (or stack), none internet-wide. */
function ownSpace(ctx: EffectiveContext): (r: ResourceModel) => Approved {
  const by = new Map<string, string[]>();
  const scope = (r: ResourceModel) => (r.tenant ? `t:${r.tenant.id}` : `s:${r.stack}`);
  for (const i of ctx.of("azurerm_virtual_network")) {
    const v = ctx.resources[i];
    const spaces = strings(v.values.address_space).filter((s) => !reach([s]).broad);
    if (spaces.length) by.set(scope(v), [...(by.get(scope(v)) ?? []), ...spaces]);
  }
  const built = new Map<string, Approved>();
  return (r) => {
    const k = scope(r);
    let a = built.get(k);
    if (!a) built.set(k, (a = approvedRanges([...new Set(by.get(k) ?? [])].sort())));
    return a;
  };
}

export function ruleFacts(
  r: ResourceModel,
  at: number,
  x: Record<string, unknown>,
  base: string,
  approved: Approved,
): SecurityRuleFacts {
  const p = (k: string) => (base ? `${base}.${k}` : k);
  // access and direction are required by the provider; an absent one is read as the worst case (fail closed).
  const access = triEquals(r, p("access"), x.access, "Allow", "Allow");
  const direction = triEquals(r, p("direction"), x.direction, "Inbound", "Inbound");
  const allow_inbound: Tri =
    access === "no" || direction === "no" ? "no" : access === "yes" && direction === "yes" ? "yes" : "unknown";
  const protocol =
    typeof x.protocol === "string" ? x.protocol.toLowerCase() : isUnknown(r, p("protocol")) ? "unknown" : "*";
  const ports = [
    x.destination_port_range,
    ...(Array.isArray(x.destination_port_ranges) ? x.destination_port_ranges : []),
  ]
    .filter((v) => typeof v === "string" || typeof v === "number")
    .map(String);
  const ports_unknown =
    isUnknown(r, p("destination_port_range")) || isUnknown(r, p("destination_port_ranges")) || ports.length === 0;
  const srcs = [...strings(x.source_address_prefix), ...strings(x.source_address_prefixes)];
  const srcUnknown = isUnknown(r, p("source_address_prefix")) || isUnknown(r, p("source_address_prefixes"));
  const asg = strings(x.source_application_security_group_ids).length > 0;
  const rc = reach(srcs, approved);
  let source: SecurityRuleFacts["source"];
  let sources: string[];
  if (rc.public) [source, sources] = ["internet", [...rc.publicSources]];
  else if (srcUnknown || (srcs.length === 0 && !asg)) [source, sources] = ["unknown", []];
  else if (rc.unresolved.length) [source, sources] = ["unresolvable", [...rc.unresolved]];
  else [source, sources] = ["private", []];
  return {
    at,
    name: typeof x.name === "string" ? x.name : "?",
    allow_inbound,
    protocol,
    ports,
    ports_unknown,
    source,
    sources,
  };
}

export function mergeNetworkSecurityGroups(ctx: EffectiveContext): void {
  const own = ownSpace(ctx);
  for (const i of ctx.of(NSG)) {
    const r = ctx.resources[i];
    const list: SecurityRuleFacts[] = blocks(r.values, "security_rule").map((b, k) =>
      ruleFacts(r, i, b, `security_rule.${k}`, own(r)),
    );
    if (configuredUnknown(r, "security_rule") && list.length === 0) {
      list.push({
        at: i,
        name: "security_rule (known only after apply)",
        allow_inbound: "unknown",
        protocol: "unknown",
        ports: [],
        ports_unknown: true,
        source: "unknown",
        sources: [],
      });
    }
    ctx.set(i, "security_rules", list);
  }
  for (const j of ctx.of(RULE)) {
    const r = ctx.resources[j];
    const facts = ruleFacts(r, j, r.values, "", own(r));
    const groups = ctx.parents(r, "network_security_group_name", NSG, "name");
    if (groups.length === 0) ctx.push(j, "security_rules", facts);
    for (const g of groups) ctx.push(g, "security_rules", facts);
  }
}
