/**
 * Semantic checks of one tenant document, after the JSON Schema (lib/tenant/load.ts runs them): residency and
 * regions, address spaces (private IPv4, prefix /16–/24, no host bits), environments, change window and time zone,
 * gateway issuers, DLP and policy literals, derived Azure names. Each problem is recorded at its node's line and
 * column; what the cross-tenant checks need (id, address spaces, derived names) is returned as a {@link Candidate}.
 */
import path from "node:path";
import ipaddr from "ipaddr.js";
import { NamingError, nameFor, type NameKind } from "../naming";
import { isKnownRegion, isZone, knownRegions, residencyCatalogue, zoneIds } from "../residency";
import { strictestRequirement, type RawTenant, type RetentionField } from "./defaults";
import { didYouMean, show } from "./problems";
import { isInvalid } from "./schema";
import { dlpRegexProblem, policyExpressionProblem } from "./literals";
import type { NodePosition } from "./yaml";
import type { Collector } from "./collector";

/** Ids zonegate uses for its own stacks (`platform-<env>-<region>-compute`); no tenant may take them. */
const RESERVED_IDS: ReadonlySet<string> = new Set(["platform"]);

/** Address-space prefix lengths a region VNet may use. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 24;
/** Globally unique kinds whose derived names are checked for validity and collisions. */
export const GLOBAL_NAME_KINDS: readonly NameKind[] = ["keyVault", "storageAccount", "apiManagement", "dnsPrefix"];

/** What cross-tenant checks need from one file, gathered even when the file has other problems. */
export interface Candidate {
  file: string;
  positions: ReadonlyMap<string, NodePosition>;
  id?: string;
  cidrs: { pointer: string; text: string; range: [ipaddr.IPv4, number] }[];
  names: { kind: NameKind; name: string; env: string; region: string }[];
}

function isStr(v: unknown): v is string {
  return typeof v === "string";
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let zoneList: string[] | undefined;
function timeZones(): string[] {
  if (!zoneList) {
    try {
      zoneList = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
    } catch {
      zoneList = [];
    }
  }
  return zoneList;
}

function checkAddressSpace(text: string): {
  problem?: { message: string; expected?: string };
  range?: [ipaddr.IPv4, number];
} {
  const expectedForm = "an IPv4 CIDR such as 10.20.0.0/16";
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(text);
  if (!m) {
    if (text.includes(":"))
      return {
        problem: { message: `${show(text)} is IPv6; only IPv4 address spaces are supported`, expected: expectedForm },
      };
    return { problem: { message: `${show(text)} is not an IPv4 CIDR`, expected: expectedForm } };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(m[1])) {
    return { problem: { message: `${show(text)} is not an IPv4 CIDR`, expected: expectedForm } };
  }
  let range: [ipaddr.IPv4, number];
  try {
    range = ipaddr.IPv4.parseCIDR(text);
  } catch {
    return { problem: { message: `${show(text)} is not an IPv4 CIDR`, expected: expectedForm } };
  }
  const [addr, prefix] = range;
  if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
    return {
      problem: {
        message: `prefix /${prefix} of ${text} is ${prefix < MIN_PREFIX ? "too large a range" : "too small a range"}`,
        expected: `a prefix from /${MIN_PREFIX} to /${MAX_PREFIX}`,
      },
    };
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  if (network.toString() !== addr.toString()) {
    return {
      problem: {
        message: `${text} has host bits set`,
        expected: `the network address ${network.toString()}/${prefix}`,
      },
    };
  }
  const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(text);
  if (addr.range() !== "private" || broadcast.range() !== "private") {
    return {
      problem: {
        message: `${text} is not a private (RFC 1918) range`,
        expected: "a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
      },
    };
  }
  return { range };
}

function checkIssuer(issuer: string): { message: string; expected: string } | undefined {
  const expected = "an https URL such as https://login.microsoftonline.com/<tenant-guid>/v2.0";
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return { message: `issuer ${show(issuer, 120)} is not a URL`, expected };
  }
  if (url.protocol !== "https:")
    return { message: `issuer ${show(issuer, 120)} must use https, not ${url.protocol.slice(0, -1)}`, expected };
  if (url.username || url.password) return { message: `issuer ${show(issuer)} must not contain credentials`, expected };
  if (!url.hostname) return { message: `issuer ${show(issuer)} has no host`, expected };
  if (url.search || url.hash) return { message: `issuer ${show(issuer)} must not have a query or fragment`, expected };
  if (/\s/.test(issuer)) return { message: `issuer ${show(issuer)} contains whitespace`, expected };
  return undefined;
}

/** The semantic checks of one tenant document (after the schema); returns what the cross-tenant checks need. */
export function checkSemantics(
  doc: Record<string, unknown>,
  file: string,
  col: Collector,
  invalid: ReadonlySet<string>,
): Candidate {
  const ok = (ptr: string): boolean => !isInvalid(invalid, ptr);
  const cand: Candidate = { file, positions: new Map(), cidrs: [], names: [] };
  const base = path.basename(file).replace(/\.yaml$/, "");

  // id ↔ file name
  const id = doc.id;
  if (isStr(id) && ok("/id")) {
    cand.id = id;
    if (RESERVED_IDS.has(id)) {
      col.at(
        "/id",
        `id ${show(id)} is reserved for zonegate's own stacks (the shared platform cluster)`,
        `an id other than ${[...RESERVED_IDS].join(", ")}`,
      );
    }
    if (id !== base) {
      const baseOk = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,19}$/.test(base);
      col.at(
        "/id",
        `id ${show(id)} does not match the file name ${show(path.basename(file))}`,
        baseOk ? `id: ${base}, or the file renamed to ${id}.yaml` : `the file renamed to ${id}.yaml`,
      );
    }
  }

  // residency zone and regions
  const zone = doc.residency;
  let zoneKnown = false;
  if (isStr(zone) && ok("/residency")) {
    if (isZone(zone)) zoneKnown = true;
    else {
      const guess = didYouMean(zone, zoneIds());
      col.at(
        "/residency",
        `unknown residency zone ${show(zone)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
        `one of: ${zoneIds().join(", ")}`,
      );
    }
  }
  const regions = Array.isArray(doc.regions) && ok("/regions") ? doc.regions : [];
  const seenRegions = new Map<string, number>();
  regions.forEach((r: unknown, i: number) => {
    if (r === null || typeof r !== "object") return;
    const reg = r as Record<string, unknown>;
    const namePtr = `/regions/${i}/name`;
    if (isStr(reg.name) && ok(namePtr)) {
      const name = reg.name;
      const first = seenRegions.get(name);
      if (first !== undefined) {
        col.at(namePtr, `region ${show(name)} is listed twice (first as regions[${first}])`, "each region once");
      } else {
        seenRegions.set(name, i);
        if (zoneKnown) {
          const z = residencyCatalogue().zones[zone as string];
          if (!z.regions.includes(name)) {
            if (isKnownRegion(name)) {
              col.at(
                namePtr,
                `region ${show(name)} is outside residency zone ${show(zone)}`,
                `one of: ${z.regions.join(", ")}`,
              );
            } else {
              const guess = didYouMean(name, z.regions) ?? didYouMean(name, knownRegions());
              col.at(
                namePtr,
                `unknown Azure region ${show(name)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
                `one of: ${z.regions.join(", ")}`,
              );
            }
          }
        } else if (!isKnownRegion(name)) {
          const guess = didYouMean(name, knownRegions());
          col.at(
            namePtr,
            `unknown Azure region ${show(name)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
            "an Azure region in ARM spelling, e.g. westeurope",
          );
        }
      }
    }
    const asPtr = `/regions/${i}/addressSpace`;
    if (isStr(reg.addressSpace) && ok(asPtr)) {
      const res = checkAddressSpace(reg.addressSpace);
      if (res.problem) col.at(asPtr, res.problem.message, res.problem.expected);
      else if (res.range) cand.cidrs.push({ pointer: asPtr, text: reg.addressSpace, range: res.range });
    }
  });

  // gateway
  const gw = doc.gateway as Record<string, unknown> | undefined;
  const oauth = gw && typeof gw === "object" ? (gw.oauth as Record<string, unknown> | undefined) : undefined;
  if (oauth && typeof oauth === "object" && isStr(oauth.issuer) && ok("/gateway/oauth/issuer")) {
    const p = checkIssuer(oauth.issuer);
    if (p) col.at("/gateway/oauth/issuer", p.message, p.expected);
  }
  // Values placed literally into APIM policy documents: no policy-expression syntax; DLP regexes in the
  // gateway's regex dialect and free of catastrophic backtracking (./literals.ts).
  const literalAt = (ptr: string, v: unknown, what: string) => {
    if (!isStr(v) || !ok(ptr)) return;
    const p = policyExpressionProblem(v);
    if (p) col.at(ptr, `${what} ${show(v)} ${p.message}`, p.expected);
  };
  literalAt("/displayName", doc.displayName, "displayName");
  if (gw && typeof gw === "object") literalAt("/gateway/publisherName", gw.publisherName, "publisherName");
  if (oauth && typeof oauth === "object") {
    literalAt("/gateway/oauth/issuer", oauth.issuer, "issuer");
    literalAt("/gateway/oauth/audience", oauth.audience, "audience");
    if (Array.isArray(oauth.requiredScopes))
      oauth.requiredScopes.forEach((sc, i) => literalAt(`/gateway/oauth/requiredScopes/${i}`, sc, "scope"));
  }
  const dlp = gw && typeof gw === "object" ? gw.dlpPatterns : undefined;
  if (Array.isArray(dlp)) {
    dlp.forEach((d, i) => {
      const ptr = `/gateway/dlpPatterns/${i}/regex`;
      const rx = d && typeof d === "object" ? (d as Record<string, unknown>).regex : undefined;
      if (!isStr(rx) || !ok(ptr)) return;
      const p = dlpRegexProblem(rx);
      if (p) col.at(ptr, `${show(rx, 80)}: ${p.message}`, p.expected);
    });
  }

  // change window
  const cw = doc.changeWindow as Record<string, unknown> | undefined;
  if (cw && typeof cw === "object" && isStr(cw.timezone) && ok("/changeWindow/timezone")) {
    if (!validTimeZone(cw.timezone) || cw.timezone.length < 1) {
      const guess = didYouMean(cw.timezone, timeZones());
      col.at(
        "/changeWindow/timezone",
        `unknown IANA time zone ${show(cw.timezone)}${guess ? ` (did you mean ${show(guess)}?)` : ""}`,
        "an IANA time zone such as Europe/Zurich or America/New_York",
      );
    }
  }

  // publishing to the internet needs the appgw subnet, which a /24 VNet has no room for
  const gwDoc = doc.gateway as Record<string, unknown> | undefined;
  if (gwDoc && typeof gwDoc === "object" && gwDoc.internet && ok("/gateway/internet") && Array.isArray(doc.regions)) {
    (doc.regions as unknown[]).forEach((r, i) => {
      const as = (r as Record<string, unknown> | null)?.addressSpace;
      const ptr = `/regions/${i}/addressSpace`;
      if (isStr(as) && ok(ptr) && /\/24$/.test(as.trim())) {
        col.at(
          ptr,
          `a /24 VNet has no room for the application gateway subnet that gateway.internet needs`,
          "a prefix from /16 to /23",
        );
      }
    });
  }

  // cluster sizing
  const cl = doc.cluster as Record<string, unknown> | undefined;
  if (cl && typeof cl === "object" && ok("/cluster")) {
    const min = cl.minNodes;
    const max = cl.maxNodes;
    if (typeof min === "number" && typeof max === "number" && ok("/cluster/minNodes") && ok("/cluster/maxNodes")) {
      if (min > max) col.at("/cluster/minNodes", `minNodes ${min} is greater than maxNodes ${max}`, `at most ${max}`);
    } else if (typeof max === "number" && min === undefined && ok("/cluster/maxNodes")) {
      const envs = Array.isArray(doc.environments) ? doc.environments : [];
      const defMin = envs.includes("prod") ? 3 : 1;
      if (max < defMin)
        col.at(
          "/cluster/maxNodes",
          `maxNodes ${max} is below the default minNodes ${defMin}`,
          `at least ${defMin}, or set minNodes`,
        );
    }
  }

  // audit retention vs frameworks
  const frameworks =
    Array.isArray(doc.frameworks) && ok("/frameworks") ? (doc.frameworks as RawTenant["frameworks"]) : [];
  const audit = doc.audit as Record<string, unknown> | undefined;
  if (audit && typeof audit === "object" && ok("/audit")) {
    for (const field of [
      "interactiveRetentionDays",
      "totalRetentionDays",
      "immutableRetentionDays",
    ] as RetentionField[]) {
      const v = audit[field];
      const ptr = `/audit/${field}`;
      if (typeof v !== "number" || !ok(ptr)) continue;
      const req = strictestRequirement(frameworks, field);
      if (req && v < req.minDays) {
        col.at(
          ptr,
          `${v} days is less than the ${req.minDays} days required by ${req.reference}`,
          `at least ${req.minDays}`,
        );
      }
    }
    const inter = audit.interactiveRetentionDays;
    const total = audit.totalRetentionDays;
    if (
      typeof inter === "number" &&
      typeof total === "number" &&
      ok("/audit/interactiveRetentionDays") &&
      ok("/audit/totalRetentionDays") &&
      inter > total
    ) {
      col.at(
        "/audit/interactiveRetentionDays",
        `interactive retention ${inter} days is longer than the total retention ${total} days`,
        `at most ${total} (total includes interactive)`,
      );
    }
  }

  // derived globally unique names
  const envs = Array.isArray(doc.environments)
    ? [...new Set((doc.environments as unknown[]).filter(isStr))].filter((e) => ["dev", "staging", "prod"].includes(e))
    : [];
  if (cand.id !== undefined && envs.length && seenRegions.size) {
    const failures = new Set<string>();
    for (const env of envs) {
      for (const region of seenRegions.keys()) {
        for (const kind of GLOBAL_NAME_KINDS) {
          try {
            cand.names.push({ kind, name: nameFor(kind, { tenant: cand.id, env, region }), env, region });
          } catch (e) {
            const msg = e instanceof NamingError ? e.message : String(e);
            if (!failures.has(msg)) {
              failures.add(msg);
              col.at("/id", `derived ${kind} name for ${env}/${region} is invalid: ${msg}`);
            }
          }
        }
      }
    }
  }
  return cand;
}
