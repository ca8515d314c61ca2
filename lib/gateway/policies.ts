/**
 * API Management policy documents for a tenant's gateway, built as typed XML trees (lib/gateway/xml.ts).
 *
 * Documents per tenant:
 *  - the **global** (service-level) policy: response DLP (PAN masking with a Luhn check, plus the tenant's extra
 *    patterns), security headers, removal of server banners;
 *  - the **product** policy of the tenant's product: mTLS partner certificates, `validate-jwt` against the tenant's
 *    OIDC issuer with the required audience and scopes and the **residency** claims (the token's directory `tid` is
 *    the issuer's, and its residency claim equals the tenant's zone — residency comes from the validated token, never
 *    from a header the client chooses), `rate-limit-by-key` and `quota-by-key` per caller;
 *  - one **API** policy per `gateway.apis[]` entry: `validate-parameters` and `validate-content` against the imported
 *    OpenAPI schema, and request-body card-number detection (block with 422, or mask, by tenant choice);
 *  - one **operation** policy per operation whose path names the API's ownership parameter: the BOLA guard (the
 *    object id in the path must be one of the values of a claim of the validated token, else 403).
 * Every API and operation policy keeps `<base />` in each section, so the global and product policies (JWT, rate
 * limits, PAN masking of responses) always apply.
 *
 * Tenant values reach the XML only as escaped text/attribute values (never by string concatenation), and values
 * that APIM would *interpret* are rejected: a literal starting with `@` would be evaluated as a C# policy
 * expression, and `{{name}}` is substituted with an APIM named value (a secret) before the policy is parsed.
 * Values embedded inside the generated C# expressions are written as C# verbatim string literals.
 */
import { regionsOf } from "../residency";
import { DEFAULT_RESIDENCY_CLAIM } from "../tenant/defaults";
import type { GatewayApi, GatewayApiOperation, Tenant } from "../tenant/types";
import { comment, el, serialize, type XmlChild, type XmlElement } from "./xml";
import { PAN_PATTERN } from "./pan";

/**
 * Request header in which a caller may declare where the data of the request belongs. Logged only: residency is
 * enforced from the validated token (product policy), never from this client-chosen header.
 */
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
  /** Regions the zone allows (from policies/data/residency.json; named in the policy's residency comment). */
  readonly allowedRegions: readonly string[];
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
  /** The tenant's residency zone: the token's residency claim must equal it. */
  readonly residencyZone: string;
  /** The claim carrying the caller's residency zone. @default DEFAULT_RESIDENCY_CLAIM */
  readonly residencyClaim?: string;
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
export function dlpExpression(
  patterns: GlobalPolicyInput["dlpPatterns"],
  source: "Request" | "Response" = "Response",
): string {
  const RX = "System.Text.RegularExpressions";
  const lines = [
    `var body = context.${source}.Body.As<string>(preserveContent: true);`,
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
  return el(
    "policies",
    {},
    el(
      "inbound",
      {},
      safeComment(`zonegate global policy for tenant ${input.tenantId} (${input.displayName}); generated, do not edit`),
      safeComment(
        `data residency: zone ${input.residencyZone} (${input.allowedRegions.join(", ")}), enforced from the validated token in the product policy; the ${DATA_REGION_HEADER} header is not trusted`,
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

/** The directory (tenant) GUID of an Entra ID issuer (`https://login.microsoftonline.com/<guid>/v2.0`), if it is one. */
export function entraTenantOf(issuer: string): string | undefined {
  const m = /^https:\/\/(?:login\.microsoftonline\.com|sts\.windows\.net)\/([0-9a-f-]{36})(?:\/|$)/i.exec(issuer);
  return m ? m[1].toLowerCase() : undefined;
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
          entraTenantOf(issuer) && el("claim", { name: "tid", match: "any" }, el("value", {}, entraTenantOf(issuer)!)),
          el(
            "claim",
            { name: literal("oauth.residencyClaim", input.residencyClaim ?? DEFAULT_RESIDENCY_CLAIM), match: "any" },
            el("value", {}, literal("residency", input.residencyZone)),
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
    residencyZone: tenant.residency,
    residencyClaim: g.oauth.residencyClaim,
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

// ---------------------------------------------------------------------------------------------------------
// API and operation policies (gateway.apis[])

/** Name of the context variable holding validate-content / validate-parameters errors (for diagnostics). */
export const VALIDATION_ERRORS_VARIABLE = "zg-validation-errors";
/** validate-content's body size limit (bytes). */
export const MAX_REQUEST_BODY_BYTES = 102400;

/**
 * Condition: the request body holds a Luhn-valid card number (same pattern and check as the response masking, see
 * lib/gateway/pan.ts `findPans`).
 */
export function requestPanCondition(): string {
  const RX = "System.Text.RegularExpressions";
  return csharpBlock([
    "var body = context.Request.Body == null ? null : context.Request.Body.As<string>(preserveContent: true);",
    "if (string.IsNullOrEmpty(body)) { return false; }",
    `var timeout = System.TimeSpan.FromMilliseconds(${DLP_REGEX_TIMEOUT_MS});`,
    `foreach (${RX}.Match m in ${RX}.Regex.Matches(body, ${csharpVerbatim(PAN_PATTERN)}, ${RX}.RegexOptions.CultureInvariant, timeout)) {`,
    "    var d = new System.Text.StringBuilder();",
    "    foreach (char ch in m.Value) { if (ch >= '0' && ch <= '9') { d.Append(ch); } }",
    "    var s = d.ToString();",
    "    var sum = 0;",
    "    var dbl = false;",
    "    for (var i = s.Length - 1; i >= 0; i--) {",
    "        var n = s[i] - '0';",
    "        if (dbl) { n = n * 2; if (n > 9) { n = n - 9; } }",
    "        sum = sum + n;",
    "        dbl = !dbl;",
    "    }",
    "    if (s.Length >= 13 && s.Length <= 19 && sum % 10 == 0) { return true; }",
    "}",
    "return false;",
  ]);
}

export interface ApiPolicyInput {
  readonly tenantId: string;
  readonly apiName: string;
  /** What to do with a card number in a request body. */
  readonly requestCardData: "block" | "mask";
}

function problemResponse(status: number, reason: string, type: string, title: string): XmlElement {
  return el(
    "return-response",
    {},
    el("set-status", { code: status, reason }),
    el(
      "set-header",
      { name: "Content-Type", "exists-action": "override" },
      el("value", {}, "application/problem+json"),
    ),
    securityHeaders(),
    el("set-body", {}, JSON.stringify({ type: `https://zonegate.dev/problems/${type}`, title, status })),
  );
}

/** The policy of one imported API as an XML tree. */
export function apiPolicy(input: ApiPolicyInput): XmlElement {
  const api = literal("apis[].name", input.apiName);
  if (input.requestCardData !== "block" && input.requestCardData !== "mask") {
    throw new PolicyValueError(`requestCardData must be block or mask, got ${String(input.requestCardData)}`);
  }
  const cardAction =
    input.requestCardData === "block"
      ? problemResponse(422, "Unprocessable Entity", "card-data", "Card numbers are not accepted in request bodies")
      : el("set-body", {}, dlpExpression([], "Request"));
  return el(
    "policies",
    {},
    el(
      "inbound",
      {},
      el("base", {}),
      safeComment(`zonegate API policy for ${input.tenantId}/${api}; generated from the OpenAPI document, do not edit`),
      el("validate-parameters", {
        "specified-parameter-action": "prevent",
        "unspecified-parameter-action": "prevent",
        "errors-variable-name": VALIDATION_ERRORS_VARIABLE,
      }),
      el(
        "validate-content",
        {
          "unspecified-content-type-action": "prevent",
          "max-size": MAX_REQUEST_BODY_BYTES,
          "size-exceeded-action": "prevent",
          "errors-variable-name": VALIDATION_ERRORS_VARIABLE,
        },
        el("content", {
          type: "application/json",
          "validate-as": "json",
          action: "prevent",
          "allow-additional-properties": false,
        }),
      ),
      safeComment(
        `request card data (PCI DSS 3.3.1, 3.4.1): ${input.requestCardData === "block" ? "rejected with 422" : "masked before the backend"}`,
      ),
      el("choose", {}, el("when", { condition: requestPanCondition() }, cardAction)),
    ),
    el("backend", {}, el("base", {})),
    el("outbound", {}, el("base", {})),
    el("on-error", {}, el("base", {})),
  );
}

export interface OperationPolicyInput {
  readonly tenantId: string;
  readonly apiName: string;
  readonly operationId: string;
  /** The path parameter naming the object, and the token claim listing the caller's objects. */
  readonly ownership: { readonly parameter: string; readonly claim: string };
}

/** Condition: the object id in the path is not one of the values of the ownership claim of the validated token. */
export function bolaViolationCondition(parameter: string, claim: string): string {
  return csharpBlock([
    `var jwt = context.Variables.GetValueOrDefault<Jwt>(${csharpVerbatim(JWT_VARIABLE)});`,
    `var id = context.Request.MatchedParameters.GetValueOrDefault(${csharpVerbatim(literal("ownership.parameter", parameter))}, "");`,
    "if (jwt == null || string.IsNullOrEmpty(id)) { return true; }",
    `var allowed = jwt.Claims.GetValueOrDefault(${csharpVerbatim(literal("ownership.claim", claim))}, "");`,
    "foreach (var v in allowed.Split(new char[] { ',', ' ' }, System.StringSplitOptions.RemoveEmptyEntries)) {",
    "    if (string.Equals(v.Trim(), id, System.StringComparison.Ordinal)) { return false; }",
    "}",
    "return true;",
  ]);
}

/** The BOLA guard of one operation as an XML tree. */
export function operationPolicy(input: OperationPolicyInput): XmlElement {
  const { parameter, claim } = input.ownership;
  return el(
    "policies",
    {},
    el(
      "inbound",
      {},
      el("base", {}),
      safeComment(
        `zonegate BOLA guard for ${input.tenantId}/${literal("apis[].name", input.apiName)}/${literal("operationId", input.operationId)}: {${parameter}} must be a value of the token claim ${claim}`,
      ),
      el(
        "choose",
        {},
        el(
          "when",
          { condition: bolaViolationCondition(parameter, claim) },
          problemResponse(403, "Forbidden", "object-authorization", "The caller may not access this object"),
        ),
      ),
    ),
    el("backend", {}, el("base", {})),
    el("outbound", {}, el("base", {})),
    el("on-error", {}, el("base", {})),
  );
}

/** The API policy XML of one of the tenant's APIs. */
export function apiPolicyXml(tenant: Tenant, api: GatewayApi): string {
  return serialize(
    apiPolicy({ tenantId: tenant.id, apiName: api.name, requestCardData: tenant.gateway.requestCardData ?? "block" }),
  );
}

/** The operations of an API that get a BOLA guard: those whose path names the ownership parameter. */
export function guardedOperations(api: GatewayApi): GatewayApiOperation[] {
  const o = api.ownership;
  return o ? api.operations.filter((op) => op.pathParameters.includes(o.parameter)) : [];
}

/** The BOLA guard XML of one operation (the API must have `ownership`). */
export function operationPolicyXml(tenant: Tenant, api: GatewayApi, op: GatewayApiOperation): string {
  if (!api.ownership) throw new PolicyValueError(`API ${api.name} has no ownership settings`);
  return serialize(
    operationPolicy({ tenantId: tenant.id, apiName: api.name, operationId: op.operationId, ownership: api.ownership }),
  );
}
