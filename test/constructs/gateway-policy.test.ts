// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { XMLValidator } from "fast-xml-parser";
import { policyXmlParser } from "../helpers/policy-xml";
import { ApiManagementPolicy } from "@cdktf/provider-azurerm/lib/api-management-policy";
import { ApiManagementProduct } from "@cdktf/provider-azurerm/lib/api-management-product";
import { ApiManagementProductPolicy } from "@cdktf/provider-azurerm/lib/api-management-product-policy";
import { GatewayPolicy, type GatewayPolicyProps } from "../../constructs/gateway-policy";
import { all, parse as parseTf } from "../helpers/synth";
import { testTenant } from "../helpers/tenants";
import type { Tenant, Tier } from "../../lib/tenant/types";
import {
  csharpVerbatim,
  DATA_REGION_HEADER,
  dlpExpression,
  globalPolicyXml,
  JWT_VARIABLE,
  PolicyValueError,
  productPolicyXml,
  REMOVED_HEADERS,
  SECURITY_HEADERS,
} from "../../lib/gateway/policies";
import { PAN_PATTERN } from "../../lib/gateway/pan";
import { el, escapeTerraformTemplate, serialize, text, unescapeTerraformTemplate } from "../../lib/gateway/xml";
import { regionsOf } from "../../lib/residency";

Testing.setupJest();
type Node = Record<string, unknown>;
const parse = policyXmlParser(["set-header", "value", "identity", "audience", "issuer", "when", "#comment", "claim"]);

function tenantFor(tier: Tier, extra: Partial<Tenant["gateway"]> = {}, over: Partial<Tenant> = {}): Tenant {
  const t = testTenant({ id: `${tier}-co`, tier, environments: ["prod"] });
  return { ...t, ...over, gateway: { ...t.gateway, ...extra } };
}

const fullTenant = tenantFor("enterprise", {
  oauth: {
    issuer: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/",
    audience: "api://payments",
    requiredScopes: ["payments.read", "payments.write"],
  },
  mtlsPartners: [
    { name: "clearing-house", thumbprint: "0123456789abcdef0123456789abcdef01234567" },
    { name: "acquirer", thumbprint: "FEDCBA9876543210FEDCBA9876543210FEDCBA98" },
  ],
  dlpPatterns: [{ name: "iban", regex: "[A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){3,7}" }],
});

describe("global policy", () => {
  const xml = globalPolicyXml(fullTenant);
  const doc = parse(xml).policies as Node;
  const inbound = doc.inbound as Node;
  const outbound = doc.outbound as Node;

  test("is well-formed with the four sections", () => {
    expect(Object.keys(doc).filter((k) => !k.startsWith("#"))).toEqual(["inbound", "backend", "outbound", "on-error"]);
  });

  test("does not trust a client-declared data region (residency comes from the validated token)", () => {
    expect(xml).not.toContain(`GetValueOrDefault(@"${DATA_REGION_HEADER}"`);
    expect(inbound.choose).toBeUndefined();
    // the comment names the zone and its regions (from residency.json)
    const comments = (inbound["#comment"] as string[]).join(" ");
    for (const r of regionsOf("eu")) expect(comments).toContain(r);
  });

  test("masks PANs with a Luhn check and the tenant's DLP patterns in the response", () => {
    const body = ((outbound.choose as Node).when as Node[])[0]["set-body"] as string;
    expect(body.startsWith("@{")).toBe(true);
    expect(body).toContain(csharpVerbatim(PAN_PATTERN));
    expect(body).toContain("context.Response.Body.As<string>(preserveContent: true)");
    expect(body).toMatch(/sum % 10 == 0/);
    expect(body).toMatch(/d\.Length >= 13 && d\.Length <= 19/);
    expect(body).toContain('@"[A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){3,7}", @"[REDACTED:iban]"');
    expect(body).toContain("System.TimeSpan.FromMilliseconds(250)");
    // compressed responses could not be inspected: Accept-Encoding is removed upstream
    expect(
      (inbound["set-header"] as Node[]).some(
        (h) => h["@name"] === "Accept-Encoding" && h["@exists-action"] === "delete",
      ),
    ).toBe(true);
  });

  test("sets security headers and removes banners, outbound and on-error", () => {
    for (const section of [outbound, doc["on-error"] as Node]) {
      const headers = section["set-header"] as Node[];
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        const h = headers.find((x) => x["@name"] === name)!;
        expect(h["@exists-action"]).toBe("override");
        expect(h.value).toEqual([value]);
      }
      for (const name of REMOVED_HEADERS) {
        expect(headers.find((x) => x["@name"] === name)!["@exists-action"]).toBe("delete");
      }
    }
    expect(SECURITY_HEADERS["Strict-Transport-Security"]).toMatch(/max-age=31536000/);
  });
});

describe("product policy", () => {
  const doc = parse(productPolicyXml(fullTenant)).policies as Node;
  const inbound = doc.inbound as Node;

  test("validate-jwt against the tenant's issuer, audience and scopes", () => {
    const jwt = inbound["validate-jwt"] as Node;
    expect(jwt).toMatchObject({
      "@header-name": "Authorization",
      "@require-scheme": "Bearer",
      "@require-signed-tokens": "true",
      "@require-expiration-time": "true",
      "@failed-validation-httpcode": "401",
      "@output-token-variable-name": JWT_VARIABLE,
    });
    expect((jwt["openid-config"] as Node)["@url"]).toBe(
      "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration",
    );
    expect((jwt.audiences as Node).audience).toEqual(["api://payments"]);
    expect((jwt.issuers as Node).issuer).toEqual([fullTenant.gateway.oauth.issuer]);
    const claims = (jwt["required-claims"] as Node).claim as Node[];
    expect(claims[0]).toMatchObject({
      "@name": "scp",
      "@match": "all",
      "@separator": " ",
      value: ["payments.read", "payments.write"],
    });
  });

  test("residency from the token: the issuer's directory (tid) and the tenant's zone in the residency claim", () => {
    const claims = ((inbound["validate-jwt"] as Node)["required-claims"] as Node).claim as Node[];
    expect(claims[1]).toMatchObject({ "@name": "tid", value: ["11111111-2222-3333-4444-555555555555"] });
    expect(claims[2]).toMatchObject({ "@name": "data_zone", "@match": "any", value: ["eu"] });
    const us = {
      ...fullTenant,
      residency: "us",
      gateway: { ...fullTenant.gateway, oauth: { ...fullTenant.gateway.oauth, residencyClaim: "zone" } },
    };
    const usClaims = (((parse(productPolicyXml(us)).policies as Node).inbound as Node)["validate-jwt"] as Node)[
      "required-claims"
    ] as Node;
    expect((usClaims.claim as Node[])[2]).toMatchObject({ "@name": "zone", value: ["us"] });
    // a non-Entra issuer has no tid claim to pin
    const other = tenantFor("standard", {
      oauth: { issuer: "https://idp.example/realms/x", audience: "a", requiredScopes: ["s"] },
    });
    const otherClaims = (
      (((parse(productPolicyXml(other)).policies as Node).inbound as Node)["validate-jwt"] as Node)[
        "required-claims"
      ] as Node
    ).claim as Node[];
    expect(otherClaims.map((c) => c["@name"])).toEqual(["scp", "data_zone"]);
  });

  test("rate-limit-by-key and quota-by-key with the tier's limits, keyed by client id then subscription", () => {
    const rl = inbound["rate-limit-by-key"] as Node;
    const q = inbound["quota-by-key"] as Node;
    expect(rl["@calls"]).toBe(String(fullTenant.gateway.rateLimitPerMinute));
    expect(rl["@renewal-period"]).toBe("60");
    expect(q["@calls"]).toBe(String(fullTenant.gateway.quotaPerDay));
    expect(q["@renewal-period"]).toBe("86400");
    for (const k of [rl["@counter-key"], q["@counter-key"]] as string[]) {
      expect(k).toContain('Claims.GetValueOrDefault("azp", "")');
      expect(k).toContain('Claims.GetValueOrDefault("appid", "")');
      expect(k).toContain("context.Subscription.Id");
      expect(k).toContain(`@"${fullTenant.id}:"`);
    }
  });

  test("validate-client-certificate lists the mTLS partners' thumbprints", () => {
    const vcc = inbound["validate-client-certificate"] as Node;
    expect(vcc).toMatchObject({ "@validate-revocation": "true", "@validate-trust": "true", "@ignore-error": "false" });
    expect(((vcc.identities as Node).identity as Node[]).map((i) => i["@thumbprint"])).toEqual([
      "0123456789ABCDEF0123456789ABCDEF01234567",
      "FEDCBA9876543210FEDCBA9876543210FEDCBA98",
    ]);
  });

  test("no mTLS partners → no client certificate validation", () => {
    const d = parse(productPolicyXml(tenantFor("standard"))).policies as Node;
    expect((d.inbound as Node)["validate-client-certificate"]).toBeUndefined();
  });

  test("every section inherits the global policy (<base />)", () => {
    for (const s of ["inbound", "backend", "outbound", "on-error"]) expect(doc[s] as Node).toHaveProperty("base");
  });

  test.each<[Tier, number, number]>([
    ["standard", 600, 100_000],
    ["premium", 3000, 1_000_000],
    ["enterprise", 12000, 10_000_000],
  ])("%s tier limits", (tier, rate, quota) => {
    const i = (parse(productPolicyXml(tenantFor(tier))).policies as Node).inbound as Node;
    expect((i["rate-limit-by-key"] as Node)["@calls"]).toBe(String(rate));
    expect((i["quota-by-key"] as Node)["@calls"]).toBe(String(quota));
  });
});

describe("no injection from tenant fields", () => {
  const nasty = `Evil <policies> & "Co" ]]> '--> <!-- {{x}} \${var.secret} %{if 1}`;

  test("display name, audience, scope and partner name stay escaped text", () => {
    const t = tenantFor(
      "premium",
      {
        oauth: {
          issuer: "https://idp.example/tenant?a=1&b=<2>",
          audience: `aud" /><inject a="1`,
          requiredScopes: [`scope]]><x/>`, "s&t"],
        },
        mtlsPartners: [{ name: `p--><script>`, thumbprint: "a".repeat(40) }],
        dlpPatterns: [{ name: `n"); return ""; //`, regex: `"x"+(` }],
      },
      { displayName: nasty.replace("{{x}}", "x") },
    );
    for (const xml of [globalPolicyXml(t), productPolicyXml(t)]) {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toContain("<inject");
      expect(xml).not.toContain("<x/>");
      expect(xml).not.toContain("<script>");
      expect(xml).not.toContain("]]>");
      expect(xml).not.toContain("{{");
    }
    const p = parse(productPolicyXml(t)).policies as Node;
    const jwt = (p.inbound as Node)["validate-jwt"] as Node;
    expect((jwt.audiences as Node).audience).toEqual([`aud" /><inject a="1`]);
    expect(((jwt["required-claims"] as Node).claim as Node[])[0].value).toEqual([`scope]]><x/>`, "s&t"]);
    expect((jwt.issuers as Node).issuer).toEqual(["https://idp.example/tenant?a=1&b=<2>"]);
    const comments = ((p.inbound as Node)["#comment"] as string[]).join("\n");
    expect(comments).toContain("Evil &lt;policies&gt; &amp;"); // escaped, and `--` cannot close the comment
    expect(comments).not.toMatch(/--(?!>)/);
    // C# literals: the quote is doubled inside the verbatim string, so the expression cannot be escaped from
    const body = ((((parse(globalPolicyXml(t)).policies as Node).outbound as Node).choose as Node).when as Node[])[0][
      "set-body"
    ] as string;
    expect(body).toContain(`@"""x""+("`);
    expect(body).toContain(`@"[REDACTED:n""); return """"; //]"`);
  });

  test("values APIM would evaluate are refused: a leading @ (C# expression) or {{named value}}", () => {
    expect(() =>
      productPolicyXml(
        tenantFor("premium", { oauth: { ...fullTenant.gateway.oauth, audience: "@(context.Variables)" } }),
      ),
    ).toThrow(PolicyValueError);
    expect(() =>
      productPolicyXml(
        tenantFor("premium", { oauth: { ...fullTenant.gateway.oauth, requiredScopes: ["{{backend-secret}}"] } }),
      ),
    ).toThrow(/named value/);
    expect(() => globalPolicyXml(tenantFor("premium", { dlpPatterns: [{ name: "x", regex: "a{{2}}" }] }))).toThrow(
      PolicyValueError,
    );
    expect(() =>
      productPolicyXml(
        tenantFor("premium", { oauth: { ...fullTenant.gateway.oauth, issuer: "http://insecure.example" } }),
      ),
    ).toThrow(/https/);
    expect(() =>
      productPolicyXml(tenantFor("premium", { mtlsPartners: [{ name: "x", thumbprint: `${"a".repeat(39)}"` }] })),
    ).toThrow(/thumbprint/);
  });

  test("the serializer escapes text and attributes and rejects invalid names / characters", () => {
    const xml = serialize(el("a", { b: `"<&>'\n` }, text("]]> & <")));
    expect(xml).toBe(`<a b="&quot;&lt;&amp;&gt;&apos;&#10;">]]&gt; &amp; &lt;</a>\n`);
    expect((parse(xml).a as Node)["@b"]).toBe(`"<&>'\n`);
    expect(() => el("a b")).toThrow(/invalid XML element name/);
    expect(() => el("a", { "x=1": "y" })).toThrow(/attribute name/);
    expect(() => text("\u0001")).toThrow(/not allowed/);
  });

  test("Terraform template sequences are escaped for the JSON config and restored by Terraform", () => {
    const s = "a ${var.x} %{if true} $${ok}";
    const e = escapeTerraformTemplate(s);
    expect(e).toBe("a $${var.x} %%{if true} $$${ok}");
    expect(e).not.toMatch(/(^|[^$])\$\{/);
    expect(unescapeTerraformTemplate(e)).toBe(s);
  });

  test("the DLP expression never contains named-value syntax of its own", () => {
    expect(dlpExpression([])).not.toContain("{{");
    expect(globalPolicyXml(tenantFor("standard"))).not.toContain("{{");
    expect(productPolicyXml(tenantFor("standard"))).not.toContain("{{");
  });
});

describe("snapshots per tier", () => {
  test.each<Tier>(["standard", "premium", "enterprise"])("%s", (tier) => {
    const t = tenantFor(
      tier,
      tier === "enterprise"
        ? { mtlsPartners: fullTenant.gateway.mtlsPartners, dlpPatterns: fullTenant.gateway.dlpPatterns }
        : {},
    );
    expect({ global: globalPolicyXml(t), product: productPolicyXml(t) }).toMatchSnapshot();
  });
});

describe("GatewayPolicy construct", () => {
  const props: GatewayPolicyProps = {
    apiManagementId: "/apim",
    apiManagementName: "apim-t",
    resourceGroupName: "rg",
    tenant: fullTenant,
  };
  const synth = (p: Partial<GatewayPolicyProps> = {}) =>
    Testing.synthScope((s) => {
      new GatewayPolicy(s, "policy", { ...props, ...p });
    });
  const out = synth();

  it("sets the global policy that masks card numbers in responses (ZG-APIM-006)", () => {
    expect(out).toHaveResourceWithProperties(ApiManagementPolicy, {
      api_management_id: "/apim",
      xml_content: escapeTerraformTemplate(globalPolicyXml(fullTenant)),
    });
    const outbound = (parse(globalPolicyXml(fullTenant)).policies as Node).outbound as Node;
    expect(JSON.stringify(outbound)).toContain("set-body");
  });

  it("publishes the tenant's product behind subscription and approval, with its JWT + rate-limit policy (ZG-APIM-005)", () => {
    expect(out).toHaveResourceWithProperties(ApiManagementProduct, {
      product_id: fullTenant.id,
      api_management_name: "apim-t",
      subscription_required: true,
      approval_required: true,
      subscriptions_limit: 10,
      published: true,
    });
    const [policy] = all(parseTf(out), "azurerm_api_management_product_policy");
    expect(policy.xml_content).toBe(escapeTerraformTemplate(productPolicyXml(fullTenant)));
    expect(policy.product_id).toEqual(expect.stringContaining("azurerm_api_management_product."));
    const inbound = (parse(productPolicyXml(fullTenant)).policies as Node).inbound as Node;
    for (const p of ["base", "validate-jwt", "rate-limit-by-key", "quota-by-key"]) expect(inbound).toHaveProperty(p);
    expect(synth({ subscriptionsLimit: 2 })).toHaveResourceWithProperties(ApiManagementProduct, {
      subscriptions_limit: 2,
    });
  });

  it("escapes Terraform template sequences in tenant values", () => {
    const t: Tenant = { ...fullTenant, displayName: "Evil ${var.x} %{if}" };
    const o = synth({ tenant: t });
    expect(o).toHaveResourceWithProperties(ApiManagementProduct, { display_name: "Evil $${var.x} %%{if}" });
    expect(o).toHaveResourceWithProperties(ApiManagementProductPolicy, {
      xml_content: escapeTerraformTemplate(productPolicyXml(t)),
    });
  });
});
