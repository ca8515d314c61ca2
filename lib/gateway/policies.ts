/**
 * API Management policy documents for a tenant's gateway, built as typed XML trees (lib/gateway/xml.ts).
 *
 * Two documents per tenant:
 *  - the **global** (service-level) policy: residency check on the declared data region, response DLP (PAN masking
 *    with a Luhn check, plus the tenant's extra patterns), security headers, removal of server banners;
 *  - the **product** policy of the tenant's product: mTLS partner certificates, `validate-jwt` against the tenant's
 *    OIDC issuer with the required audience and scopes, `rate-limit-by-key` and `quota-by-key` per caller.
 *
 * Tenant values reach the XML only as escaped text/attribute values (never by string concatenation), and values
 * that APIM would *interpret* are rejected: a literal starting with `@` would be evaluated as a C# policy
 * expression, and `{{name}}` is substituted with an APIM named value (a secret) before the policy is parsed.
 * Values embedded inside the generated C# expressions are written as C# verbatim string literals.
 */
import { regionsOf } from "../residency";
import type { Tenant } from "../tenant/types";
import { comment, el, serialize, type XmlChild, type XmlElement } from "./xml";
import { PAN_PATTERN } from "./pan";

/** Request header in which a caller declares where the data of the request belongs. */
export const DATA_REGION_HEADER = "X-Data-Region";
/** Name of the context variable that holds the validated JWT. */
export const JWT_VARIABLE = "zg-jwt";
/** Regex evaluation timeout inside the gateway (ReDoS guard); a timeout fails the request (fail closed). */
export const DLP_REGEX_TIMEOUT_MS = 250;

/** Response headers the gateway always sets (outbound and on-error). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};
/** Response headers that reveal the backend stack and are removed. */
export const REMOVED_HEADERS: readonly string[] = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"];

export interface GlobalPolicyInput {
  readonly tenantId: string;
  readonly displayName: string;
  /** Residency zone id, e.g. `eu`. */
  readonly residencyZone: string;
  /** Regions the zone allows (from policies/data/residency.json). */
  readonly allowedRegions: readonly string[];
  /** Reject requests that carry no data-region header at all. @default false (an absent header is not a declaration) */
  readonly requireDataRegion?: boolean;
  readonly dlpPatterns: readonly { readonly name: string; readonly regex: string }[];
}

export interface ProductPolicyInput {
  readonly tenantId: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly audience: string;
  readonly requiredScopes: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly quotaPerDay: number;
  readonly mtlsPartners: readonly { readonly name: string; readonly thumbprint: string }[];
}

/** Thrown when a tenant value cannot be placed in a policy document safely. */
export class PolicyValueError extends Error {}

/**
 * A tenant value placed where APIM allows policy expressions or named values. Rejects a leading `@` (C# expression)
 * and `{{` (named-value substitution); everything else is escaped by the serializer.
 */
function literal(field: string, value: string): string {
  if (typeof value !== "string") throw new PolicyValueError(`${field} must be a string`);
  if (/^\s*@/.test(value)) {
    throw new PolicyValueError(`${field} must not start with "@" (APIM would evaluate it as a policy expression)`);
  }
  if (value.includes("{{")) {
    throw new PolicyValueError(`${field} must not contain "{{" (APIM would substitute a named value)`);
  }
  return value;
}

/** A C# verbatim string literal: only `"` needs escaping (doubled). */
export function csharpVerbatim(value: string): string {
  return `@"${value.replace(/"/g, '""')}"`;
}

/** Comments never carry named-value syntax either. */
function safeComment(s: string) {
  return comment(s.replace(/\{\{/g, "{ {").replace(/\}\}/g, "} }"));
}

function positiveInt(field: string, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new PolicyValueError(`${field} must be a positive integer, got ${n}`);
  return n;
}

/** Lines of C# joined into a multi-statement policy expression `@{ ... }`. */
function csharpBlock(lines: readonly string[]): string {
  return ["@{", ...lines.map((l) => "    " + l), "}"].join("\n");
}

/**
 * The response DLP expression: masks Luhn-valid PANs (all digits but the last four) and replaces matches of the
 * tenant's extra patterns with `[REDACTED:<name>]`. Mirrors {@link maskPans} in lib/gateway/pan.ts.
 * Only types on APIM's policy-expression allow-list are used (String, StringBuilder, Regex, Match, RegexOptions,
 * TimeSpan, Char arithmetic), all fully qualified.
 */
export function dlpExpression(patterns: GlobalPolicyInput["dlpPatterns"]): string {
  const RX = "System.Text.RegularExpressions";
  const lines = [
    "var body = context.Response.Body.As<string>(preserveContent: true);",
    "if (string.IsNullOrEmpty(body)) { return body; }",
    `var timeout = System.TimeSpan.FromMilliseconds(${DLP_REGEX_TIMEOUT_MS});`,
    "var sb = new System.Text.StringBuilder(body.Length);",
    "var last = 0;",
    `foreach (${RX}.Match m in ${RX}.Regex.Matches(body, ${csharpVerbatim(PAN_PATTERN)}, ${RX}.RegexOptions.CultureInvariant, timeout)) {`,
    "    var digits = new System.Text.StringBuilder();",
    "    foreach (char ch in m.Value) { if (ch >= '0' && ch <= '9') { digits.Append(ch); } }",
    "    var d = digits.ToString();",
    "    var sum = 0;",
    "    var dbl = false;",
    "    for (var i = d.Length - 1; i >= 0; i--) {",
    "        var n = d[i] - '0';",
    "        if (dbl) { n = n * 2; if (n > 9) { n = n - 9; } }",
    "        sum = sum + n;",
    "        dbl = !dbl;",
    "    }",
    "    sb.Append(body, last, m.Index - last);",
    "    if (d.Length >= 13 && d.Length <= 19 && sum % 10 == 0) {",
    "        var seen = 0;",
    "        foreach (char ch in m.Value) {",
    "            if (ch >= '0' && ch <= '9') { seen = seen + 1; sb.Append(seen <= d.Length - 4 ? '*' : ch); }",
    "            else { sb.Append(ch); }",
    "        }",
    "    } else {",
    "        sb.Append(m.Value);",
    "    }",
    "    last = m.Index + m.Length;",
    "}",
    "sb.Append(body, last, body.Length - last);",
    "var result = sb.ToString();",
  ];
  for (const p of patterns) {
    const name = literal(`dlpPatterns[${p.name}].name`, p.name);
    const regex = literal(`dlpPatterns[${p.name}].regex`, p.regex);
    // `$` in a .NET replacement string starts a substitution; `$$` is a literal dollar.
    const replacement = `[REDACTED:${name.replace(/\$/g, "$$$$")}]`;
    lines.push(
      `result = ${RX}.Regex.Replace(result, ${csharpVerbatim(regex)}, ${csharpVerbatim(replacement)}, ${RX}.RegexOptions.CultureInvariant, timeout);`,
    );
  }
  lines.push("return result;");
  return csharpBlock(lines);
}

/** Condition: the response is textual (JSON/XML/text/form) or untyped, so it can be inspected as a string. */
const TEXTUAL_RESPONSE_CONDITION = csharpBlock([
  'var ct = context.Response.Headers.GetValueOrDefault("Content-Type", "").ToLowerInvariant();',
  'return ct.Length == 0 || ct.StartsWith("text/") || ct.Contains("json") || ct.Contains("xml") || ct.Contains("x-www-form-urlencoded");',
]);

/** Condition: the declared data region(s) (comma-separated) include one outside the residency zone. */
export function residencyViolationCondition(allowedRegions: readonly string[], requireHeader: boolean): string {
  if (allowedRegions.length === 0) throw new PolicyValueError("the residency zone has no regions");
  const list = allowedRegions.map((r) => csharpVerbatim(literal("allowedRegions", r))).join(", ");
  return csharpBlock([
    `var declared = context.Request.Headers.GetValueOrDefault(${csharpVerbatim(DATA_REGION_HEADER)}, "");`,
    `if (string.IsNullOrWhiteSpace(declared)) { return ${requireHeader ? "true" : "false"}; }`,
    `var allowed = new string[] { ${list} };`,
    "foreach (var region in declared.Split(',')) {",
    "    if (!allowed.Contains(region.Trim().ToLowerInvariant())) { return true; }",
    "}",
    "return false;",
  ]);
}

function securityHeaders(): XmlChild[] {
  return [
    ...Object.entries(SECURITY_HEADERS).map(([name, value]) =>
      el("set-header", { name, "exists-action": "override" }, el("value", {}, value)),
    ),
    ...REMOVED_HEADERS.map((name) => el("set-header", { name, "exists-action": "delete" })),
  ];
}

/** The global policy as an XML tree. */
export function globalPolicy(input: GlobalPolicyInput): XmlElement {
  const problem = JSON.stringify({
    type: "https://zonegate.dev/problems/data-residency",
    title: "Declared data region is outside the tenant's residency zone",
    status: 403,
    zone: input.residencyZone,
  });
  return el(
    "policies",
    {},
    el(
      "inbound",
      {},
      safeComment(`zonegate global policy for tenant ${input.tenantId} (${input.displayName}); generated, do not edit`),
      safeComment(`data residency: zone ${input.residencyZone}; header ${DATA_REGION_HEADER}`),
      el(
        "choose",
        {},
        el(
          "when",
          { condition: residencyViolationCondition(input.allowedRegions, input.requireDataRegion ?? false) },
          el(
            "return-response",
            {},
            el("set-status", { code: 403, reason: "Forbidden" }),
            el(
              "set-header",
              { name: "Content-Type", "exists-action": "override" },
              el("value", {}, "application/problem+json"),
            ),
            securityHeaders(),
            el("set-body", {}, problem),
          ),
        ),
      ),
      safeComment("responses must be uncompressed so the DLP filter can read them"),
      el("set-header", { name: "Accept-Encoding", "exists-action": "delete" }),
    ),
    el("backend", {}, el("forward-request", {})),
    el(
      "outbound",
      {},
      safeComment("DLP: mask Luhn-valid card numbers (PCI DSS 3.4.1) and the tenant's extra patterns"),
      el(
        "choose",
        {},
        el("when", { condition: TEXTUAL_RESPONSE_CONDITION }, el("set-body", {}, dlpExpression(input.dlpPatterns))),
      ),
      securityHeaders(),
    ),
    el("on-error", {}, securityHeaders()),
  );
}

/** Expression that yields the rate-limit / quota key: the caller's client id (azp, else appid), else subscription. */
export function callerKeyExpression(tenantId: string): string {
  return csharpBlock([
    `var jwt = context.Variables.GetValueOrDefault<Jwt>(${csharpVerbatim(JWT_VARIABLE)});`,
    'var id = jwt == null ? "" : jwt.Claims.GetValueOrDefault("azp", "");',
    'if (string.IsNullOrEmpty(id) && jwt != null) { id = jwt.Claims.GetValueOrDefault("appid", ""); }',
    'if (string.IsNullOrEmpty(id)) { id = "sub:" + (context.Subscription == null ? "anonymous" : context.Subscription.Id); }',
    `return ${csharpVerbatim(literal("tenantId", tenantId) + ":")} + id;`,
  ]);
}

/** The OpenID configuration URL of an issuer (`<issuer>/.well-known/openid-configuration`). */
export function openIdConfigUrl(issuer: string): string {
  const url = new URL(issuer);
  if (url.protocol !== "https:") throw new PolicyValueError(`oauth.issuer must be https, got ${issuer}`);
  return issuer.replace(/\/+$/, "") + "/.well-known/openid-configuration";
}

/** The tenant product's policy as an XML tree. */
export function productPolicy(input: ProductPolicyInput): XmlElement {
  const issuer = literal("oauth.issuer", input.issuer);
  const audience = literal("oauth.audience", input.audience);
  if (input.requiredScopes.length === 0) throw new PolicyValueError("oauth.requiredScopes must not be empty");
  const key = callerKeyExpression(input.tenantId);
  return el(
    "policies",
    {},
    el(
      "inbound",
      {},
      el("base", {}),
      safeComment(
        `zonegate product policy for tenant ${input.tenantId} (${input.displayName}); generated, do not edit`,
      ),
      input.mtlsPartners.length > 0 && [
        safeComment(`mTLS partners: ${input.mtlsPartners.map((p) => p.name).join(", ")}`),
        el(
          "validate-client-certificate",
          {
            "validate-revocation": true,
            "validate-trust": true,
            "validate-not-before": true,
            "validate-expiration": true,
            "ignore-error": false,
          },
          el(
            "identities",
            {},
            input.mtlsPartners.map((p) => {
              if (!/^[0-9A-Fa-f]{40}$/.test(p.thumbprint)) {
                throw new PolicyValueError(`mtlsPartners[${p.name}].thumbprint must be 40 hex characters`);
              }
              return el("identity", { thumbprint: p.thumbprint.toUpperCase() });
            }),
          ),
        ),
      ],
      el(
        "validate-jwt",
        {
          "header-name": "Authorization",
          "failed-validation-httpcode": 401,
          "failed-validation-error-message": "Unauthorized",
          "require-expiration-time": true,
          "require-scheme": "Bearer",
          "require-signed-tokens": true,
          "clock-skew": 60,
          "output-token-variable-name": JWT_VARIABLE,
        },
        el("openid-config", { url: openIdConfigUrl(issuer) }),
        el("audiences", {}, el("audience", {}, audience)),
        el("issuers", {}, el("issuer", {}, issuer)),
        el(
          "required-claims",
          {},
          el(
            "claim",
            { name: "scp", match: "all", separator: " " },
            input.requiredScopes.map((s) => el("value", {}, literal("oauth.requiredScopes", s))),
          ),
        ),
      ),
      el("rate-limit-by-key", {
        calls: positiveInt("rateLimitPerMinute", input.rateLimitPerMinute),
        "renewal-period": 60,
        "counter-key": key,
        "remaining-calls-header-name": "X-RateLimit-Remaining",
        "retry-after-header-name": "Retry-After",
      }),
      el("quota-by-key", {
        calls: positiveInt("quotaPerDay", input.quotaPerDay),
        "renewal-period": 86400,
        "counter-key": key,
      }),
    ),
    el("backend", {}, el("base", {})),
    el("outbound", {}, el("base", {})),
    el("on-error", {}, el("base", {})),
  );
}

/** Inputs for the tenant's global policy (allowed regions from the residency catalogue). */
export function globalPolicyInput(tenant: Tenant): GlobalPolicyInput {
  return {
    tenantId: tenant.id,
    displayName: tenant.displayName,
    residencyZone: tenant.residency,
    allowedRegions: regionsOf(tenant.residency),
    dlpPatterns: tenant.gateway.dlpPatterns,
  };
}

export function productPolicyInput(tenant: Tenant): ProductPolicyInput {
  const g = tenant.gateway;
  return {
    tenantId: tenant.id,
    displayName: tenant.displayName,
    issuer: g.oauth.issuer,
    audience: g.oauth.audience,
    requiredScopes: g.oauth.requiredScopes,
    rateLimitPerMinute: g.rateLimitPerMinute,
    quotaPerDay: g.quotaPerDay,
    mtlsPartners: g.mtlsPartners,
  };
}

/** The tenant's global policy XML. */
export function globalPolicyXml(tenant: Tenant): string {
  return serialize(globalPolicy(globalPolicyInput(tenant)));
}

/** The tenant product's policy XML. */
export function productPolicyXml(tenant: Tenant): string {
  return serialize(productPolicy(productPolicyInput(tenant)));
}
