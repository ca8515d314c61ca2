/**
 * Internet reachability by address arithmetic (design.md "Semantics over strings").
 *
 * A source list (NSG `source_address_prefix(es)`, firewall `ip_rules`, start/end ranges) is turned into
 * intervals of IPv4 and IPv6 addresses (ipaddr.js parses; the arithmetic is BigInt), merged, and what lies
 * outside the private / approved ranges is the public part. So `0.0.0.0/1` + `128.0.0.0/1` is the whole
 * internet although neither string is `0.0.0.0/0`, `10.0.0.0/8` is private, and `1.0.0.0/8` is public.
 * Service tags are classified by name: `Internet`, `AzureCloud[.<region>]`, `*`, `any` are the internet;
 * `VirtualNetwork` and `AzureLoadBalancer` are private; the Microsoft platform tags in {@link PLATFORM_TAGS}
 * are neither (Microsoft-operated control planes); anything else is unresolvable and never counts as safe.
 */
import ipaddr from "ipaddr.js";

type Family = 4 | 6;
/** An inclusive interval of addresses of one family. */
interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** Ranges that are not the internet: RFC 1918, CGNAT (RFC 6598), loopback, link-local, ULA, unspecified. */
export const PRIVATE_RANGES: readonly string[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "168.63.129.16/32", // Azure platform (DHCP/DNS/health probes)
  "fc00::/7",
  "fe80::/10",
  "::1/128",
  "::/128",
];

/** Service tags that stand for the whole internet (or any Azure customer's address). */
const INTERNET_TAGS = new Set(["*", "any", "internet", "azurecloud", "/0"]);
/** Service tags that are private to the virtual network. */
const PRIVATE_TAGS = new Set(["virtualnetwork", "azureloadbalancer"]);
/**
 * Microsoft-operated service tags (control planes and platform services): not the internet at large, but not
 * private either — they are public addresses that only Microsoft services use.
 */
export const PLATFORM_TAGS = new Set(
  [
    "ApiManagement",
    "GatewayManager",
    "AzureTrafficManager",
    "AzureFrontDoor.Backend",
    "AzureFrontDoor.FirstParty",
    "AzureMonitor",
    "AzureActiveDirectory",
    "AzureKeyVault",
    "Storage",
    "Sql",
    "EventHub",
    "ServiceBus",
    "AzureContainerRegistry",
    "AzureBackup",
    "AzureBastion",
    "GuestAndHybridManagement",
    "AzurePlatformDNS",
    "AzurePlatformIMDS",
    "AzurePlatformLKM",
  ].map((t) => t.toLowerCase()),
);

function toBig(a: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

function cidrInterval(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): [Family, Interval] {
  const family: Family = addr.kind() === "ipv4" ? 4 : 6;
  const host = BigInt(BITS[family] - prefix);
  const mask = (1n << host) - 1n;
  const lo = toBig(addr) & ~mask;
  return [family, { lo, hi: lo | mask }];
}

function merge(xs: Interval[]): Interval[] {
  const s = [...xs].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Interval[] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x.lo <= last.hi + 1n) out[out.length - 1] = { lo: last.lo, hi: x.hi > last.hi ? x.hi : last.hi };
    else out.push(x);
  }
  return out;
}

/** Parts of `xs` (merged) not covered by `minus` (merged). */
function subtract(xs: Interval[], minus: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of xs) {
    let lo = x.lo;
    for (const m of minus) {
      if (m.hi < lo || m.lo > x.hi) continue;
      if (m.lo > lo) out.push({ lo, hi: m.lo - 1n });
      lo = m.hi + 1n;
      if (lo > x.hi) break;
    }
    if (lo <= x.hi) out.push({ lo, hi: x.hi });
  }
  return out;
}

const size = (xs: Interval[]) => xs.reduce((n, x) => n + (x.hi - x.lo + 1n), 0n);

/** Parse one address, CIDR, or `a-b` range; null when it is none of these. */
export function parseRange(text: string): [Family, Interval] | null {
  const s = text.trim();
  try {
    if (s.includes("/")) {
      const [a, p] = ipaddr.parseCIDR(s);
      return cidrInterval(a, p);
    }
    const dash = s.indexOf("-");
    if (dash > 0 && !s.includes(":")) {
      const a = ipaddr.parse(s.slice(0, dash).trim());
      const b = ipaddr.parse(s.slice(dash + 1).trim());
      if (a.kind() !== b.kind()) return null;
      const [lo, hi] = [toBig(a), toBig(b)];
      if (lo > hi) return null;
      return [a.kind() === "ipv4" ? 4 : 6, { lo, hi }];
    }
    if (!ipaddr.isValid(s)) return null;
    const a = ipaddr.parse(s);
    return cidrInterval(a, a.kind() === "ipv4" ? 32 : 128);
  } catch {
    return null;
  }
}

function intervals(ranges: readonly string[]): Record<Family, Interval[]> {
  const out: Record<Family, Interval[]> = { 4: [], 6: [] };
  for (const r of ranges) {
    const p = parseRange(r);
    if (p) out[p[0]].push(p[1]);
  }
  return { 4: merge(out[4]), 6: merge(out[6]) };
}

const PRIVATE = intervals(PRIVATE_RANGES);
const ALL: Record<Family, Interval[]> = {
  4: [{ lo: 0n, hi: (1n << 32n) - 1n }],
  6: [{ lo: 0n, hi: (1n << 128n) - 1n }],
};

/** Public IPv4 addresses above which an allow-list is "broad" (more than one /16). */
export const BROAD_IPV4 = 1n << 16n;
/** Public IPv6 addresses above which an allow-list is "broad" (more than one /48). */
export const BROAD_IPV6 = 1n << 80n;

export interface Reach {
  /** Some source address is public (outside the private and approved ranges), or a source is the internet. */
  readonly public: boolean;
  /** The public part is wider than one IPv4 /16 or IPv6 /48 (an internet-wide allow-list). */
  readonly broad: boolean;
  /** The sources cover every public address of a family (e.g. 0.0.0.0/1 + 128.0.0.0/1, `*`, Internet). */
  readonly whole: boolean;
  /** Sources that are neither an address/CIDR/range nor a known service tag. */
  readonly unresolved: readonly string[];
  /** The sources that contribute public addresses (for messages). */
  readonly publicSources: readonly string[];
}

/** Ranges that count as private besides {@link PRIVATE_RANGES} (e.g. the tenant's own address space). */
export interface Approved {
  readonly id: string;
  readonly safe: Readonly<Record<Family, Interval[]>>;
}

const approvedCache = new Map<string, Approved>();
let approvedSeq = 0;

/** The private ranges plus `ranges`, merged once per distinct list. */
export function approvedRanges(ranges: readonly string[]): Approved {
  const list = ranges.join("\n");
  let a = approvedCache.get(list);
  if (!a) {
    const extra = intervals(ranges);
    // A short id, so the memo key of reach() stays small however long the list is.
    a = {
      id: `a${++approvedSeq}`,
      safe: { 4: merge([...PRIVATE[4], ...extra[4]]), 6: merge([...PRIVATE[6], ...extra[6]]) },
    };
    if (approvedCache.size > 1000) approvedCache.clear();
    approvedCache.set(list, a);
  }
  return a;
}

const NONE: Approved = { id: "", safe: PRIVATE };
const memo = new Map<string, Reach>();

/**
 * Classify a list of sources. `approved` adds ranges that count as private (e.g. the tenant's own VNet address
 * space). Empty strings are ignored; `0.0.0.0` alone is read as `0.0.0.0/0` (Azure treats it as any).
 */
export function reach(sources: readonly string[], approved: Approved | readonly string[] = NONE): Reach {
  const a = Array.isArray(approved) ? (approved.length ? approvedRanges(approved) : NONE) : (approved as Approved);
  const key = `${a.id}\0${sources.join("\n")}`;
  let r = memo.get(key);
  if (!r) {
    if (memo.size > 10_000) memo.clear();
    memo.set(key, (r = compute(sources, a.safe)));
  }
  return r;
}

function compute(sources: readonly string[], safe: Readonly<Record<Family, Interval[]>>): Reach {
  const got: Record<Family, Interval[]> = { 4: [], 6: [] };
  const unresolved: string[] = [];
  const publicSources: string[] = [];
  let tagInternet = false;
  for (const raw of sources) {
    const s = raw.trim();
    if (s === "") continue;
    const l = s.toLowerCase();
    if (INTERNET_TAGS.has(l) || l.startsWith("azurecloud.") || l === "0.0.0.0") {
      tagInternet = true;
      publicSources.push(s);
      continue;
    }
    if (PRIVATE_TAGS.has(l) || PLATFORM_TAGS.has(l) || PLATFORM_TAGS.has(l.split(".")[0])) continue;
    const p = parseRange(s);
    if (!p) {
      unresolved.push(s);
      continue;
    }
    got[p[0]].push(p[1]);
    if (subtract([p[1]], safe[p[0]]).length > 0) publicSources.push(s);
  }
  const pub4 = size(subtract(merge(got[4]), safe[4]));
  const pub6 = size(subtract(merge(got[6]), safe[6]));
  const covers = (f: Family) => got[f].length > 0 && subtract(ALL[f], merge([...got[f], ...safe[f]])).length === 0;
  const whole = tagInternet || covers(4) || covers(6);
  return {
    public: tagInternet || pub4 > 0n || pub6 > 0n,
    broad: whole || pub4 > BROAD_IPV4 || pub6 > BROAD_IPV6,
    whole,
    unresolved,
    publicSources,
  };
}
