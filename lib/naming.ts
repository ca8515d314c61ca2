/**
 * Azure resource naming: the rules Azure enforces per resource kind, readable deterministic names, and
 * short hashes for globally unique kinds so that truncation never makes two tenants collide.
 *
 * Rules follow "Naming rules and restrictions for Azure resources" (Microsoft Learn), restricted to ASCII.
 * Names look like `<prefix>-<tenant>-<env>-<regionShort>[-<suffix>]` (CAF abbreviations), e.g.
 * `rg-northwind-prd-weu-core`; globally unique kinds end in a hash: `kv-northwind-prd-weu-4k2xa`.
 */
import { createHash } from "node:crypto";

export const NAME_KINDS = [
  "resourceGroup",
  "virtualNetwork",
  "subnet",
  "networkSecurityGroup",
  "routeTable",
  "privateEndpoint",
  "privateDnsZoneLink",
  "keyVault",
  "keyVaultKey",
  "diskEncryptionSet",
  "userAssignedIdentity",
  "storageAccount",
  "storageContainer",
  "logAnalyticsWorkspace",
  "dataExportRule",
  "kubernetesCluster",
  "nodePool",
  "dnsPrefix",
  "namespace",
  "apiManagement",
] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export interface NameContext {
  /** Tenant id (lowercase DNS label), or e.g. `platform` for shared resources. */
  readonly tenant: string;
  /** Environment, e.g. `prod` (shortened to `prd` in names). */
  readonly env: string;
  /** Azure region, ARM spelling, e.g. `westeurope` (shortened to `weu`). */
  readonly region: string;
  /** Optional distinguishing suffix (lowercase letters, digits, single hyphens), e.g. `core`, `aks`. */
  readonly suffix?: string;
}

export interface NamingRule {
  readonly kind: NameKind;
  readonly min: number;
  readonly max: number;
  /** Regex for one allowed character. */
  readonly chars: RegExp;
  readonly charsText: string;
  readonly start?: RegExp;
  readonly startText?: string;
  readonly end?: RegExp;
  readonly endText?: string;
  readonly noConsecutiveHyphens?: boolean;
  /** Name must be unique across Azure (it becomes a DNS name); generated names always carry a hash. */
  readonly globallyUnique: boolean;
  /** CAF abbreviation used as the first token ("" = none). */
  readonly prefix: string;
  /** Token separator in generated names. */
  readonly separator: "-" | "";
  /** Which context tokens a generated name carries. */
  readonly tokens: "full" | "tenant" | "suffix";
}

export class NamingError extends Error {
  constructor(
    message: string,
    readonly kind?: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = "NamingError";
  }
}

const ALNUM = /[a-zA-Z0-9]/;
const LOWER_ALNUM = /[a-z0-9]/;
const LETTER = /[a-zA-Z]/;
const LOWER_LETTER = /[a-z]/;
const ALNUM_OR_UNDERSCORE = /[a-zA-Z0-9_]/;

function rule(r: Omit<NamingRule, "separator" | "tokens" | "globallyUnique"> & Partial<NamingRule>): NamingRule {
  return { separator: "-", tokens: "full", globallyUnique: false, ...r };
}

const NETWORKISH = {
  chars: /[a-zA-Z0-9_.-]/,
  charsText: "letters, digits, underscores, periods and hyphens",
  start: ALNUM,
  startText: "a letter or digit",
  end: ALNUM_OR_UNDERSCORE,
  endText: "a letter, digit or underscore",
};

const RULES: Record<NameKind, NamingRule> = {
  resourceGroup: rule({
    kind: "resourceGroup",
    min: 1,
    max: 90,
    chars: /[a-zA-Z0-9_.()-]/,
    charsText: "letters, digits, underscores, parentheses, periods and hyphens",
    end: /[^.]/,
    endText: "anything but a period",
    prefix: "rg",
  }),
  virtualNetwork: rule({ kind: "virtualNetwork", min: 2, max: 64, ...NETWORKISH, prefix: "vnet" }),
  subnet: rule({ kind: "subnet", min: 1, max: 80, ...NETWORKISH, prefix: "snet" }),
  networkSecurityGroup: rule({ kind: "networkSecurityGroup", min: 1, max: 80, ...NETWORKISH, prefix: "nsg" }),
  routeTable: rule({ kind: "routeTable", min: 1, max: 80, ...NETWORKISH, prefix: "rt" }),
  privateEndpoint: rule({ kind: "privateEndpoint", min: 2, max: 64, ...NETWORKISH, prefix: "pe" }),
  privateDnsZoneLink: rule({ kind: "privateDnsZoneLink", min: 1, max: 80, ...NETWORKISH, prefix: "pdnslink" }),
  keyVault: rule({
    kind: "keyVault",
    min: 3,
    max: 24,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    start: LETTER,
    startText: "a letter",
    end: ALNUM,
    endText: "a letter or digit",
    noConsecutiveHyphens: true,
    globallyUnique: true,
    prefix: "kv",
  }),
  keyVaultKey: rule({
    kind: "keyVaultKey",
    min: 1,
    max: 127,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    prefix: "cmk",
  }),
  diskEncryptionSet: rule({
    kind: "diskEncryptionSet",
    min: 1,
    max: 80,
    chars: /[a-zA-Z0-9_-]/,
    charsText: "letters, digits, underscores and hyphens",
    prefix: "des",
  }),
  userAssignedIdentity: rule({
    kind: "userAssignedIdentity",
    min: 3,
    max: 128,
    chars: /[a-zA-Z0-9_-]/,
    charsText: "letters, digits, underscores and hyphens",
    start: ALNUM,
    startText: "a letter or digit",
    prefix: "id",
  }),
  storageAccount: rule({
    kind: "storageAccount",
    min: 3,
    max: 24,
    chars: LOWER_ALNUM,
    charsText: "lowercase letters and digits",
    globallyUnique: true,
    prefix: "st",
    separator: "",
  }),
  storageContainer: rule({
    kind: "storageContainer",
    min: 3,
    max: 63,
    chars: /[a-z0-9-]/,
    charsText: "lowercase letters, digits and hyphens",
    start: LOWER_ALNUM,
    startText: "a lowercase letter or digit",
    end: LOWER_ALNUM,
    endText: "a lowercase letter or digit",
    noConsecutiveHyphens: true,
    prefix: "",
    tokens: "suffix",
  }),
  logAnalyticsWorkspace: rule({
    kind: "logAnalyticsWorkspace",
    min: 4,
    max: 63,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    start: ALNUM,
    startText: "a letter or digit",
    end: ALNUM,
    endText: "a letter or digit",
    prefix: "log",
  }),
  dataExportRule: rule({
    kind: "dataExportRule",
    min: 4,
    max: 63,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    start: LETTER,
    startText: "a letter",
    end: ALNUM,
    endText: "a letter or digit",
    prefix: "dexp",
  }),
  kubernetesCluster: rule({
    kind: "kubernetesCluster",
    min: 1,
    max: 63,
    chars: /[a-zA-Z0-9_-]/,
    charsText: "letters, digits, underscores and hyphens",
    start: ALNUM,
    startText: "a letter or digit",
    end: ALNUM,
    endText: "a letter or digit",
    prefix: "aks",
  }),
  nodePool: rule({
    kind: "nodePool",
    min: 1,
    max: 12,
    chars: LOWER_ALNUM,
    charsText: "lowercase letters and digits",
    start: LOWER_LETTER,
    startText: "a lowercase letter",
    prefix: "",
    separator: "",
    tokens: "suffix",
  }),
  dnsPrefix: rule({
    kind: "dnsPrefix",
    min: 1,
    max: 54,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    start: ALNUM,
    startText: "a letter or digit",
    end: ALNUM,
    endText: "a letter or digit",
    globallyUnique: true,
    prefix: "",
  }),
  namespace: rule({
    kind: "namespace",
    min: 1,
    max: 63,
    chars: /[a-z0-9-]/,
    charsText: "lowercase letters, digits and hyphens",
    start: LOWER_ALNUM,
    startText: "a lowercase letter or digit",
    end: LOWER_ALNUM,
    endText: "a lowercase letter or digit",
    prefix: "",
    tokens: "tenant",
  }),
  apiManagement: rule({
    kind: "apiManagement",
    min: 1,
    max: 50,
    chars: /[a-zA-Z0-9-]/,
    charsText: "letters, digits and hyphens",
    start: LETTER,
    startText: "a letter",
    end: ALNUM,
    endText: "a letter or digit",
    globallyUnique: true,
    prefix: "apim",
  }),
};

/** The naming rule of a kind. */
export function namingRule(kind: NameKind): NamingRule {
  if (!isNameKind(kind)) throw new NamingError(`unknown resource kind "${String(kind)}"`, String(kind));
  return RULES[kind];
}

export function isNameKind(kind: unknown): kind is NameKind {
  return typeof kind === "string" && (NAME_KINDS as readonly string[]).includes(kind);
}

/** Region short codes (ARM name → short code) used in names. */
export const REGION_SHORT_CODES: Readonly<Record<string, string>> = Object.freeze({
  westeurope: "weu",
  northeurope: "neu",
  germanywestcentral: "gwc",
  germanynorth: "gno",
  francecentral: "frc",
  francesouth: "frs",
  swedencentral: "sdc",
  swedensouth: "sds",
  polandcentral: "plc",
  italynorth: "itn",
  spaincentral: "spc",
  norwayeast: "noe",
  norwaywest: "now",
  uksouth: "uks",
  ukwest: "ukw",
  switzerlandnorth: "chn",
  switzerlandwest: "chw",
  eastus: "eus",
  eastus2: "eus2",
  centralus: "cus",
  northcentralus: "ncus",
  southcentralus: "scus",
  westcentralus: "wcus",
  westus: "wus",
  westus2: "wus2",
  westus3: "wus3",
  canadacentral: "cac",
  canadaeast: "cae",
  brazilsouth: "brs",
  brazilsoutheast: "brse",
  australiaeast: "aue",
  australiasoutheast: "ause",
  australiacentral: "auc",
  australiacentral2: "auc2",
  centralindia: "inc",
  southindia: "ins",
  westindia: "inw",
  japaneast: "jpe",
  japanwest: "jpw",
  eastasia: "ea",
  southeastasia: "sea",
  koreacentral: "krc",
  koreasouth: "krs",
  southafricanorth: "san",
  southafricawest: "saw",
  uaenorth: "uaen",
  uaecentral: "uaec",
});

const ENV_SHORT: Readonly<Record<string, string>> = { dev: "dev", staging: "stg", prod: "prd" };

const TOKEN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SUFFIX = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const REGION = /^[a-z][a-z0-9]*$/;

/** base36 of the first 8 bytes of sha256(input), fixed width. */
export function shortHash(input: string, length = 5): string {
  if (!Number.isInteger(length) || length < 1 || length > 12)
    throw new NamingError(`hash length ${length} not in 1–12`);
  const digest = createHash("sha256").update(input, "utf8").digest();
  const n = digest.readBigUInt64BE(0);
  return n.toString(36).padStart(13, "0").slice(0, length);
}

/**
 * Short code of a region: from the table, else a deterministic fallback (first three letters + a 2-char
 * hash of the full name; 5 chars, so it never clashes with a table code).
 */
export function regionShort(region: string): string {
  if (typeof region !== "string" || !REGION.test(region)) {
    throw new NamingError(`invalid region "${String(region)}": expected an ARM region name like "westeurope"`);
  }
  if (Object.prototype.hasOwnProperty.call(REGION_SHORT_CODES, region)) return REGION_SHORT_CODES[region];
  return region.slice(0, 3).padEnd(3, "x") + shortHash(`region:${region}`, 2);
}

/** Short code of an environment (`prod` → `prd`, `staging` → `stg`, else unchanged). */
export function envShort(env: string): string {
  return Object.prototype.hasOwnProperty.call(ENV_SHORT, env) ? ENV_SHORT[env] : env;
}

/** Length of the hash appended to globally unique names (36^5 ≈ 60 million). */
export const HASH_LENGTH = 5;

function hashInput(ctx: NameContext): string {
  return `${ctx.tenant}/${ctx.env}/${ctx.region}/${ctx.suffix ?? ""}`;
}

function checkContext(kind: NameKind, ctx: NameContext): void {
  const bad: string[] = [];
  if (ctx === null || typeof ctx !== "object")
    throw new NamingError(`nameFor(${kind}): context must be an object`, kind);
  if (typeof ctx.tenant !== "string" || !TOKEN.test(ctx.tenant)) {
    bad.push(
      `tenant "${String(ctx.tenant)}" must be lowercase letters, digits and single hyphens, starting with a letter`,
    );
  }
  if (typeof ctx.env !== "string" || !TOKEN.test(ctx.env)) {
    bad.push(`env "${String(ctx.env)}" must be lowercase letters, digits and single hyphens, starting with a letter`);
  }
  if (typeof ctx.region !== "string" || !REGION.test(ctx.region)) {
    bad.push(`region "${String(ctx.region)}" must be an ARM region name (lowercase letters and digits)`);
  }
  if (ctx.suffix !== undefined && (typeof ctx.suffix !== "string" || !SUFFIX.test(ctx.suffix))) {
    bad.push(`suffix "${String(ctx.suffix)}" must be lowercase letters, digits and single hyphens`);
  }
  if (bad.length) throw new NamingError(`cannot name ${kind}: ${bad.join("; ")}`, kind, bad);
}

function trimEnd(s: string): string {
  return s.replace(/[-_.]+$/, "");
}

/**
 * A deterministic, valid name for a resource kind.
 * Throws {@link NamingError} when the context is invalid or no valid name can be built.
 */
export function nameFor(kind: NameKind, ctx: NameContext): string {
  const r = namingRule(kind);
  checkContext(kind, ctx);
  const sep = r.separator;
  const tokens: string[] = [];
  if (r.prefix) tokens.push(r.prefix);
  if (r.tokens === "full") {
    tokens.push(ctx.tenant, envShort(ctx.env), regionShort(ctx.region));
    if (ctx.suffix) tokens.push(ctx.suffix);
  } else if (r.tokens === "tenant") {
    tokens.push(ctx.tenant);
    if (ctx.suffix) tokens.push(ctx.suffix);
  } else {
    if (!ctx.suffix) throw new NamingError(`cannot name ${kind}: a suffix is required (e.g. "user", "archive")`, kind);
    tokens.push(ctx.suffix);
  }
  const clean = sep === "" ? tokens.map((t) => t.replace(/-/g, "")) : tokens;
  let readable = clean.join(sep);
  const hash = shortHash(hashInput(ctx), HASH_LENGTH);
  let name: string;
  if (r.globallyUnique || readable.length > r.max) {
    const budget = r.max - sep.length - hash.length;
    if (budget < 1) throw new NamingError(`cannot name ${kind}: no room for a hash in ${r.max} characters`, kind);
    // Shorten the tenant token first (down to 3 chars) so env and region stay readable; then cut the tail.
    const ti = r.tokens === "suffix" ? -1 : r.prefix ? 1 : 0;
    const overflow = readable.length - budget;
    if (overflow > 0 && ti >= 0) {
      const t = clean[ti];
      clean[ti] = trimEnd(t.slice(0, Math.max(3, t.length - overflow)));
      readable = clean.join(sep);
    }
    if (readable.length > budget) readable = trimEnd(readable.slice(0, budget));
    name = readable + sep + hash;
  } else {
    name = readable;
  }
  const problems = validateName(kind, name);
  if (problems.length) {
    throw new NamingError(`cannot name ${kind} "${name}": ${problems.join("; ")}`, kind, problems);
  }
  return name;
}

/** Problems of a name under the Azure rules of its kind; empty when valid. */
export function validateName(kind: NameKind, name: string): string[] {
  if (!isNameKind(kind)) return [`unknown resource kind "${String(kind)}"`];
  const r = RULES[kind];
  if (typeof name !== "string") return [`name must be a string, got ${name === null ? "null" : typeof name}`];
  const problems: string[] = [];
  const len = [...name].length;
  if (len < r.min) problems.push(`length ${len} is below the minimum ${r.min}`);
  if (len > r.max) problems.push(`length ${len} exceeds the maximum ${r.max}`);
  const invalid = [...new Set([...name].filter((c) => !r.chars.test(c)))];
  if (invalid.length) {
    const shown = invalid.map((c) => JSON.stringify(c)).join(", ");
    problems.push(`contains invalid character${invalid.length > 1 ? "s" : ""} ${shown} (allowed: ${r.charsText})`);
  }
  if (len > 0) {
    const first = [...name][0];
    const last = [...name][len - 1];
    if (r.start && !r.start.test(first)) problems.push(`must start with ${r.startText}`);
    if (r.end && !r.end.test(last)) problems.push(`must end with ${r.endText}`);
  }
  if (r.noConsecutiveHyphens && name.includes("--")) problems.push("must not contain consecutive hyphens");
  return problems;
}
