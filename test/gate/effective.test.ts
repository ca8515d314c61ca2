/**
 * The effective-configuration stage (lib/gate/effective): address arithmetic, parsed APIM XML, dates and
 * durations, the merges on small models, and the adversarial cases of the effective / semantics classes
 * (test/fixtures/adversarial/{effective-*,semantics-*}) run through the gate library, with the resource each
 * finding must name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { reach } from "../../lib/gate/effective/cidr";
import { daysFromNow, goDurationMs, isoDurationDays } from "../../lib/gate/effective/time";
import { csharpStrings, masksPans, policyFacts } from "../../lib/gate/effective/apim-xml";
import { computeEffective } from "../../lib/gate/effective";
import { resolveTenantContext } from "../../lib/gate/context";
import { runGate } from "../../lib/gate/gate";
import type { ResourceModel } from "../../lib/gate/model";
import {
  apiPolicy,
  dlpExpression,
  globalPolicyXml,
  operationPolicy,
  productPolicyXml,
} from "../../lib/gateway/policies";
import { serialize } from "../../lib/gateway/xml";
import { testTenant } from "../helpers/tenants";
import { REPO, realBundleExists } from "./helpers";

describe("internet reachability by address arithmetic", () => {
  test.each([
    [["0.0.0.0/1", "128.0.0.0/1"], true, true],
    [["0.0.0.0/0"], true, true],
    [["0.0.0.0"], true, true],
    [["::/0"], true, true],
    [["*"], true, true],
    [["Internet"], true, true],
    [["AzureCloud"], true, true],
    [["azurecloud.westeurope"], true, true],
    [["any"], true, true],
    [["0.0.0.0/1"], true, false],
    [["1.0.0.0/8"], true, false],
    [["203.0.113.5/32"], true, false],
    [["2000::/3"], true, false],
    [["100.0.0.0/6"], true, false],
    [["1.2.3.4-1.2.3.9"], true, false],
  ])("%j reaches the internet (whole: %s)", (sources, pub, whole) => {
    const r = reach(sources);
    expect(r.public).toBe(pub);
    expect(r.whole).toBe(whole);
  });

  test.each([
    [["10.0.0.0/8"]],
    [["172.16.0.0/12", "192.168.10.0/24"]],
    [["100.64.0.0/10"]],
    [["fd00::/8"]],
    [["VirtualNetwork", "AzureLoadBalancer"]],
    [["ApiManagement", "GatewayManager", "Storage.WestEurope"]],
  ])("%j stays private", (sources) => {
    const r = reach(sources);
    expect(r).toMatchObject({ public: false, broad: false, whole: false, unresolved: [] });
  });

  test("the union of the private ranges plus the rest of the space is the whole internet", () => {
    // 0.0.0.0/1 + 128.0.0.0/2 + 192.0.0.0/2 (minus nothing): every public address.
    expect(reach(["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"]).whole).toBe(true);
    expect(reach(["0.0.0.0/1", "128.0.0.0/2"]).whole).toBe(false);
  });

  test("broad means more than one /16 of public space; approved ranges count as private", () => {
    expect(reach(["203.0.113.0/24"]).broad).toBe(false);
    expect(reach(["20.0.0.0/15"]).broad).toBe(true);
    expect(reach(["20.0.0.0/16"], ["20.0.0.0/16"]).public).toBe(false);
  });

  test("strings that are neither addresses nor known tags are unresolved", () => {
    expect(reach(["CorpNetwork", "10.0.0.0/33", "10.0.0.1-10.0.0.0"]).unresolved).toEqual([
      "CorpNetwork",
      "10.0.0.0/33",
      "10.0.0.1-10.0.0.0",
    ]);
  });
});

describe("dates and durations", () => {
  test.each([
    ["P1Y", 365],
    ["P30D", 30],
    ["P2W", 14],
    ["P1Y6M", 545],
    ["PT36H", 1.5],
    ["p90d", 90],
  ])("%s is %d days", (s, d) => expect(isoDurationDays(s)).toBeCloseTo(d));

  test.each(["P", "PT", "30 days", "1Y", "", "P-1D"])("%j is not a duration", (s) =>
    expect(isoDurationDays(s)).toBeNull(),
  );

  test("go durations and timeadd(plantimestamp(), …)", () => {
    expect(goDurationMs("8760h")).toBe(8760 * 3_600_000);
    expect(goDurationMs("1h30m")).toBe(5_400_000);
    expect(goDurationMs("1 year")).toBeNull();
    const now = new Date("2026-01-01T00:00:00Z");
    expect(daysFromNow(null, '${timeadd(plantimestamp(), "8760h")}', now)).toBe(365);
    expect(daysFromNow("2027-01-01T00:00:00Z", undefined, now)).toBe(365);
    expect(daysFromNow(null, "${var.expiry}", now)).toBeNull();
    expect(daysFromNow("soon", undefined, now)).toBeNull();
  });
});

describe("APIM policy XML read as XML", () => {
  const JWT = `<validate-jwt header-name="Authorization"><audiences><audience>api://x</audience></audiences></validate-jwt>`;
  const RATE = `<rate-limit-by-key calls="10" renewal-period="60" counter-key="k" />`;
  const doc = (inbound: string, outbound = "") =>
    `<policies><inbound>${inbound}</inbound><backend><forward-request /></backend><outbound>${outbound}</outbound></policies>`;
  const inbound = (xml: string) => {
    const f = policyFacts(xml);
    if (!f.ok) throw new Error(f.error);
    return f.sections.inbound;
  };

  test("controls count as elements of their section only", () => {
    expect(inbound(doc(`<base />${JWT}${RATE}`))).toEqual({
      present: true,
      base: true,
      baseFirst: true,
      controls: ["validate-jwt", "rate-limit-by-key"],
    });
    expect(inbound(doc(`<!-- ${JWT} ${RATE} -->`)).controls).toEqual([]);
    expect(
      inbound(doc(`<set-header name="validate-jwt"><value>rate-limit-by-key</value></set-header>`)).controls,
    ).toEqual([]);
    expect(inbound(doc(`<choose><when condition="@(true)">${JWT}</when></choose>`)).controls).toEqual([]);
    expect(inbound(doc("", `${JWT}${RATE}`)).controls).toEqual([]);
    expect(inbound(doc(`<validate-jwt header-name="Authorization" />`)).controls).toEqual([]);
    expect(inbound(doc(`<rate-limit-by-key calls="0" renewal-period="60" counter-key="k" />`)).controls).toEqual([]);
  });

  test("request validation: validate-content that prevents, unconditionally in <inbound>", () => {
    const vc = (a = "prevent", u = "prevent", s = "prevent") =>
      `<validate-content unspecified-content-type-action="${u}" max-size="1024" size-exceeded-action="${s}"><content type="application/json" validate-as="json" action="${a}" /></validate-content>`;
    expect(inbound(doc(`<base />${vc()}`)).controls).toEqual(["validate-content"]);
    expect(inbound(doc(vc("PREVENT"))).controls).toEqual(["validate-content"]);
    for (const bad of [
      vc("detect"),
      vc("prevent", "ignore"),
      vc("prevent", "prevent", "detect"),
      `<validate-content unspecified-content-type-action="prevent" max-size="1" size-exceeded-action="prevent" />`,
      vc().replace(
        "</validate-content>",
        `<content type="application/xml" validate-as="xml" action="ignore" /></validate-content>`,
      ),
      `<!-- ${vc()} -->`,
      `<set-header name="validate-content" exists-action="override"><value>prevent</value></set-header>`,
      `<set-header name="X" exists-action="override"><value><![CDATA[${vc()}]]></value></set-header>`,
      `<choose><when condition="@(true)">${vc()}</when></choose>`,
    ])
      expect([bad, inbound(doc(bad)).controls]).toEqual([bad, []]);
    expect(inbound(doc("", vc())).controls).toEqual([]);
  });

  test("request card check: the request body tested with a card regex, then rejected or masked", () => {
    const rx = "[0-9](?:[ -]?[0-9]){12,18}";
    const cond = `@(System.Text.RegularExpressions.Regex.IsMatch(context.Request.Body.As&lt;string&gt;(), @&quot;${rx}&quot;))`;
    const reject = `<return-response><set-status code="422" /></return-response>`;
    const mask = `<set-body>@(System.Text.RegularExpressions.Regex.Replace(context.Request.Body.As&lt;string&gt;(), @"${rx}", "****"))</set-body>`;
    const card = ["request-card-check"];
    expect(inbound(doc(`<choose><when condition="${cond}">${reject}</when></choose>`)).controls).toEqual(card);
    expect(inbound(doc(`<choose><when condition="${cond}">${mask}</when><otherwise /></choose>`)).controls).toEqual(
      card,
    );
    expect(inbound(doc(mask)).controls).toEqual(card);
    for (const bad of [
      `<!-- <choose><when condition="${cond}">${reject}</when></choose> -->`,
      `<choose><when condition="@(true)"><set-header name="a" exists-action="delete" /></when><when condition="${cond}">${reject}</when></choose>`,
      `<choose><when condition="${cond}"><trace source="x"><message>card</message></trace></when></choose>`,
      `<choose><when condition="${cond.replace(rx, "[0-9]{3}")}">${reject}</when></choose>`,
      `<choose><when condition="${cond.replace("Request", "Response")}">${reject}</when></choose>`,
      `<set-header name="X" exists-action="override"><value>context.Request.Body 13,19</value></set-header>`,
      `<choose><when condition="@(true)"><choose><when condition="${cond}">${reject}</when></choose></when></choose>`,
    ])
      expect([bad, inbound(doc(bad)).controls]).toEqual([bad, []]);
    expect(inbound(doc("", mask)).controls).toEqual([]);
  });

  test("<base /> first: comments and whitespace aside, nothing runs before the parent scopes", () => {
    expect(inbound(doc(`<!-- generated --> <base /><set-header name="a" exists-action="delete" />`)).baseFirst).toBe(
      true,
    );
    expect(inbound(doc(`<set-header name="a" exists-action="delete" /><base />`))).toMatchObject({
      base: true,
      baseFirst: false,
    });
    expect(inbound(doc(`<!-- <base /> -->`))).toMatchObject({ base: false, baseFirst: false });
    expect(inbound(doc(`<choose><when condition="@(true)"><base /></when></choose>`)).base).toBe(false);
  });

  test("the constructs' API and operation policies carry every control of the gateway standard", () => {
    const t = testTenant();
    for (const mode of ["block", "mask"] as const) {
      const f = policyFacts(serialize(apiPolicy({ tenantId: t.id, apiName: "a", requestCardData: mode })));
      if (!f.ok) throw new Error(f.error);
      expect(f.sections.inbound).toMatchObject({
        baseFirst: true,
        controls: ["validate-content", "request-card-check"],
      });
    }
    const o = policyFacts(
      serialize(
        operationPolicy({ tenantId: t.id, apiName: "a", operationId: "o", ownership: { parameter: "id", claim: "c" } }),
      ),
    );
    if (!o.ok) throw new Error(o.error);
    expect([o.sections.inbound.baseFirst, o.sections.outbound.base]).toEqual([true, true]);
  });

  test("malformed documents and wrong roots are not policies", () => {
    expect(policyFacts("<policies><inbound></policies>").ok).toBe(false);
    expect(policyFacts("<policy><inbound /></policy>").ok).toBe(false);
    expect(policyFacts("<policies><inbound /><inbound /></policies>").ok).toBe(false);
  });

  test("PAN masking is recognised by what the expression does to the response body", () => {
    expect(masksPans(dlpExpression([]))).toBe(true);
    expect(
      masksPans(
        '@(System.Text.RegularExpressions.Regex.Replace(context.Response.Body.As<string>(), @"\\b(?:\\d[ -]?){13,19}\\b", "****"))',
      ),
    ).toBe(true);
    // the right regex but applied to the request, a regex for 3-digit codes, a plain string replace, text only
    expect(masksPans('@(Regex.Replace(context.Request.Body.As<string>(), @"[0-9]{13,19}", "*"))')).toBe(false);
    expect(masksPans('@(Regex.Replace(context.Response.Body.As<string>(), @"\\b[0-9]{3}\\b", "*"))')).toBe(false);
    expect(masksPans('@(context.Response.Body.As<string>().Replace("card", "****"))')).toBe(false);
    expect(masksPans("mask PAN 13,19 card")).toBe(false);
    expect(csharpStrings('@(x(@"a""b", "c\\\\d"))')).toEqual(['a"b', "c\\d"]);
  });

  test("the constructs' documents: global masks in outbound, product validates and rate-limits inbound and keeps <base />", () => {
    const t = testTenant();
    const g = policyFacts(globalPolicyXml(t));
    const p = policyFacts(productPolicyXml(t));
    if (!g.ok || !p.ok) throw new Error("construct policy not parsed");
    expect(g.sections.outbound.controls).toEqual(["pan-masking"]);
    expect(p.sections.inbound.controls).toEqual(["validate-jwt", "rate-limit-by-key"]);
    expect([p.sections.inbound.base, p.sections.outbound.base]).toEqual([true, true]);
  });
});

/** A minimal model resource. */
function res(
  type: string,
  name: string,
  values: Record<string, unknown>,
  extra: Partial<ResourceModel> = {},
): ResourceModel {
  const address = `${type}.${name}`;
  return {
    key: `s::${address}`,
    address,
    type,
    name,
    provider: "azurerm",
    mode: "managed",
    actions: ["create"],
    values,
    unknown: [],
    refs: {},
    source: { kind: "plan", file: "t" },
    stack: "s",
    tenant: null,
    ...extra,
  };
}

describe("merges", () => {
  test("NSG rules join their group by name; the tenant's own VNet space is private", () => {
    const rs = [
      res("azurerm_virtual_network", "v", { address_space: ["20.1.0.0/16"] }),
      res("azurerm_network_security_group", "g", { name: "nsg-a", security_rule: [] }),
      res("azurerm_network_security_rule", "r", {
        name: "ssh",
        network_security_group_name: "nsg-a",
        access: "Allow",
        direction: "Inbound",
        protocol: "Tcp",
        source_address_prefix: "20.1.2.0/24",
        destination_port_range: 22,
      }),
    ];
    const e = computeEffective(rs);
    expect(e[1]?.security_rules).toEqual([
      expect.objectContaining({ at: 2, name: "ssh", allow_inbound: "yes", ports: ["22"], source: "private" }),
    ]);
    expect(e[2]).toBeUndefined();
  });

  test("a whole unknown block is computed config in synth/HCL (unknown) but the provider's computed view in a plan", () => {
    const nsg = (kind: "plan" | "synth") =>
      res(
        "azurerm_network_security_group",
        "g",
        { security_rule: null },
        {
          unknown: ["security_rule"],
          source: { kind, file: "t" },
        },
      );
    expect(computeEffective([nsg("plan")])[0]?.security_rules).toEqual([]);
    expect(computeEffective([nsg("synth")])[0]?.security_rules).toEqual([
      expect.objectContaining({ at: 0, source: "unknown", ports_unknown: true }),
    ]);
    const vnet = (kind: "plan" | "hcl") =>
      res("azurerm_virtual_network", "v", { subnet: null }, { unknown: ["subnet"], source: { kind, file: "t" } });
    expect(computeEffective([vnet("plan")])[0]).toBeUndefined();
    expect(computeEffective([vnet("hcl")])[0]?.subnets).toEqual([expect.objectContaining({ nsg: "unknown" })]);
  });

  test("APIM: each policy's own document (apim_policy) and each API's policies and product link (apim_api)", () => {
    const ok = `<policies><inbound><base /></inbound><outbound><base /></outbound></policies>`;
    const api = res("azurerm_api_management_api", "orders", { name: "orders", api_management_name: "apim" });
    const rs = [
      api,
      res(
        "azurerm_api_management_api_policy",
        "p",
        { api_name: "x", api_management_name: "apim", xml_content: ok },
        { refs: { api_name: ["s::azurerm_api_management_api.orders"] } },
      ),
      res(
        "azurerm_api_management_product_api",
        "l",
        { api_name: "orders", api_management_name: "apim" },
        {
          unknown: ["product_id"],
        },
      ),
      res("azurerm_api_management_api", "payments", { name: "payments", api_management_name: "apim" }),
      res("azurerm_api_management_product_api", "l2", { api_name: "payments", api_management_name: "apim" }),
      res(
        "azurerm_api_management_api_operation_policy",
        "o",
        { api_name: "orders", operation_id: "get" },
        {
          unknown: ["xml_content"],
        },
      ),
      res("azurerm_api_management_api_policy", "orphan", { api_name: "elsewhere", xml_link: "https://x/p.xml" }),
      res("azurerm_api_management_api_policy", "bad", {
        api_name: "payments",
        api_management_name: "apim",
        xml_content: "<policies><inbound>",
      }),
    ];
    const e = computeEffective(rs);
    expect(e[0]?.apim_api).toEqual({ policies: [1], product_linked: true });
    expect(e[3]?.apim_api).toEqual({ policies: [7], product_linked: false });
    expect(e[1]?.apim_policy).toMatchObject({
      state: "parsed",
      inbound: { present: true, base: true, base_first: true, controls: [] },
      backend: { present: false },
      on_error: { present: false },
    });
    expect(e[5]?.apim_policy).toEqual({ state: "unknown", reason: "" });
    expect(e[6]?.apim_policy).toMatchObject({ state: "invalid", reason: expect.stringContaining("xml_link") });
    expect(e[7]?.apim_policy).toMatchObject({ state: "invalid", reason: expect.stringContaining("not well-formed") });
  });

  test("storage: a separate network-rules resource by reference; a separate CMK resource", () => {
    const sa = res("azurerm_storage_account", "sa", { id: "/x/sa", network_rules: [{ default_action: "Deny" }] });
    const nr = res(
      "azurerm_storage_account_network_rules",
      "nr",
      { default_action: "Allow", ip_rules: [] },
      { refs: { storage_account_id: ["s::azurerm_storage_account.sa"] }, unknown: ["storage_account_id"] },
    );
    const cmk = res("azurerm_storage_account_customer_managed_key", "c", {
      storage_account_id: "/X/SA",
      key_name: "k",
    });
    const e = computeEffective([sa, nr, cmk]);
    expect(
      (e[0]?.network_acls as { at: number; default_action: string }[]).map((a) => [a.at, a.default_action]),
    ).toEqual([
      [0, "deny"],
      [1, "allow"],
    ]);
    expect(e[0]?.customer_managed_key).toEqual({ at: 2 });
  });

  test("key expiry from a synth timeadd expression only while the value is still unknown", () => {
    const k = res(
      "azurerm_key_vault_key",
      "k",
      { expiration_date: null },
      { unknown: ["expiration_date"], expressions: { expiration_date: '${timeadd(plantimestamp(), "720h")}' } },
    );
    const now = new Date("2026-01-01T00:00:00Z");
    expect((computeEffective([k], { now })[0]?.key as { expiration: unknown }).expiration).toEqual({
      state: "known",
      days: 30,
    });
    const overridden = { ...k, values: {}, unknown: [] };
    expect((computeEffective([overridden], { now })[0]?.key as { expiration: unknown }).expiration).toEqual({
      state: "absent",
    });
  });

  test("Kyverno: an exception is void when the release disables exceptions; release values from set entries", () => {
    const pol = res("kubernetes_manifest", "p", {
      manifest: { kind: "ClusterPolicy", metadata: { name: "require-labels" }, spec: { rules: [] } },
    });
    const exc = res("kubernetes_manifest", "e", {
      manifest: { kind: "PolicyException", spec: { exceptions: [{ policyName: "require-*" }] } },
    });
    const rel = (set: unknown[]) =>
      res("helm_release", "k", {
        chart: "kyverno",
        values: ["features:\n  policyExceptions:\n    enabled: false\n"],
        set,
      });
    expect(computeEffective([pol, exc])[0]?.kyverno_weakenings).toEqual([
      { at: 1, why: expect.stringContaining("PolicyException"), unknown: false },
    ]);
    expect(computeEffective([pol, exc, rel([])])[0]).toBeUndefined();
    const forced = computeEffective([pol, rel([{ name: "features.forceFailurePolicyIgnore.enabled", value: "true" }])]);
    expect(forced[0]?.kyverno_weakenings).toEqual([{ at: 1, why: expect.stringContaining("Ignore"), unknown: false }]);
  });
});

describe("robustness", () => {
  test("malformed values never make a merge throw (the stage degrades to findings, not crashes)", () => {
    const types = [
      "azurerm_network_security_group",
      "azurerm_network_security_rule",
      "azurerm_virtual_network",
      "azurerm_storage_account",
      "azurerm_storage_account_network_rules",
      "azurerm_storage_account_customer_managed_key",
      "azurerm_key_vault",
      "azurerm_key_vault_access_policy",
      "azurerm_role_assignment",
      "azurerm_key_vault_key",
      "azurerm_api_management",
      "azurerm_api_management_policy",
      "azurerm_api_management_product_policy",
      "azurerm_api_management_api",
      "azurerm_api_management_api_policy",
      "azurerm_api_management_api_operation_policy",
      "azurerm_api_management_product_api",
      "kubernetes_manifest",
      "helm_release",
    ];
    const weird: unknown[] = [
      null,
      0,
      true,
      "",
      "x",
      [],
      [null],
      [1, "a"],
      {},
      [{}],
      "<policies>",
      "0.0.0.0/0",
      ["::/0", 5],
      { kind: "PolicyException", spec: { exceptions: [null, { policyName: 5 }] } },
      { kind: "ClusterPolicy", metadata: null, spec: { rules: [null, { exclude: { any: [null] } }] } },
    ];
    const attrs = [
      "security_rule",
      "subnet",
      "network_rules",
      "customer_managed_key",
      "network_acls",
      "access_policy",
      "expiration_date",
      "rotation_policy",
      "xml_content",
      "xml_link",
      "manifest",
      "values",
      "set",
      "name",
      "api_name",
      "product_id",
      "operation_id",
      "api_management_name",
      "api_management_id",
      "storage_account_id",
      "key_vault_id",
      "scope",
      "source_address_prefix",
      "source_address_prefixes",
      "destination_port_range",
      "access",
      "direction",
      "address_space",
      "chart",
      "ip_rules",
      "default_action",
      "network_security_group_name",
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let it = 0; it < 500; it++) {
      const rs = Array.from({ length: 6 }, (_, k) => {
        const t = types[rnd(types.length)];
        const values: Record<string, unknown> = {};
        for (let a = 0; a < 6; a++) values[attrs[rnd(attrs.length)]] = weird[rnd(weird.length)];
        return res(t, `r${k}`, values, {
          unknown: rnd(3) ? [] : [attrs[rnd(attrs.length)]],
          refs: rnd(3) ? {} : { [attrs[rnd(attrs.length)]]: [`s::${types[rnd(types.length)]}.r${rnd(6)}`] },
        });
      });
      expect(() => computeEffective(rs)).not.toThrow();
    }
  });
});

const ADV = path.join(REPO, "test", "fixtures", "adversarial");
const CLASSES = fs.existsSync(ADV)
  ? fs.readdirSync(ADV).filter((c) => c.startsWith("effective-") || c.startsWith("semantics-"))
  : [];
const CASES = CLASSES.flatMap((c) => fs.readdirSync(path.join(ADV, c)).map((k) => `${c}/${k}`)).sort();

/** Where the finding must point (the resource that caused the gap), for cases where that is the point. */
const CAUSE: Record<string, Record<string, string>> = {
  "effective-storage/network-rules-resource-reopens-account": {
    "ZG-ST-011": "azurerm_storage_account_network_rules.nr",
  },
  "effective-nsg/separate-rule-ssh-from-half-internet": { "ZG-NET-001": "azurerm_network_security_rule.ssh" },
  "effective-nsg/inline-rule-private-plus-public-range": { "ZG-NET-001": "azurerm_network_security_group.nsg" },
  "effective-vnet/inline-subnet-without-nsg": { "ZG-NET-002": "azurerm_virtual_network.vnet" },
  "effective-apim/api-policy-without-base": {
    "ZG-APIM-005": "azurerm_api_management_api_policy.orders",
    "ZG-APIM-006": "azurerm_api_management_api_policy.orders",
  },
  "effective-apim/operation-policy-drops-pan-masking": {
    "ZG-APIM-006": "azurerm_api_management_api_operation_policy.get_card",
  },
  "effective-apim/product-policy-drops-outbound-base": {
    "ZG-APIM-006": "azurerm_api_management_product_policy.gold",
  },
  "effective-apim/second-global-policy-without-masking": {
    "ZG-APIM-006": "azurerm_api_management_policy.global_override",
  },
  "effective-apim/api-policy-self-contained-without-base": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/validate-content-in-comment": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/validate-content-as-header-name": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/validate-content-in-set-header-value": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/validate-content-detect-only": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/validate-content-unspecified-type-ignored": {
    "ZG-GW-001": "azurerm_api_management_api_policy.orders",
  },
  "semantics-gateway/validate-content-only-when-header-present": {
    "ZG-GW-001": "azurerm_api_management_api_policy.orders",
  },
  "semantics-gateway/card-check-in-comment": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/card-check-in-header-value": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/card-check-after-bypass-when": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/card-check-logs-only": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/api-policy-base-not-first": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/api-policy-unknown-xml": { "ZG-GW-001": "azurerm_api_management_api_policy.orders" },
  "semantics-gateway/operation-policy-drops-base": {
    "ZG-GW-003": "azurerm_api_management_api_operation_policy.get_card",
  },
  "semantics-gateway/operation-policy-base-in-comment": {
    "ZG-GW-003": "azurerm_api_management_api_operation_policy.get_card",
  },
  "semantics-gateway/operation-policy-base-inside-choose": {
    "ZG-GW-003": "azurerm_api_management_api_operation_policy.get_card",
  },
  "semantics-gateway/operation-policy-drops-outbound-base": {
    "ZG-GW-003": "azurerm_api_management_api_operation_policy.get_card",
  },
  "semantics-gateway/operation-policy-unknown-xml": {
    "ZG-GW-003": "azurerm_api_management_api_operation_policy.get_card",
  },
  "effective-kyverno/policy-exception": { "ZG-K8S-002": "kubernetes_manifest.exc" },
  "effective-kyverno/helm-force-failure-policy-ignore": { "ZG-K8S-002": "helm_release.kyverno" },
  "semantics-cidr/key-vault-access-policy-resource": { "ZG-KV-003": "azurerm_key_vault_access_policy.ap" },
};

const maybe = realBundleExists() && CASES.length > 0 ? describe : describe.skip;

maybe("adversarial cases of the effective and semantics classes", () => {
  let caught = 0;
  let twins = 0;
  afterAll(() => {
    const bad = CASES.length - caught - twins;
    console.log(
      `effective adversarial: ${CASES.length} cases, ${caught} caught, ${bad} failing, ${twins} compliant twins passing`,
    );
  });

  test.each(CASES)("%s", async (c) => {
    const dir = path.join(ADV, c);
    const exp = JSON.parse(fs.readFileSync(path.join(dir, "expect.json"), "utf8")) as {
      kind: "plan" | "hcl";
      args: string[];
      exit: number;
      rules: string[];
      compliant: boolean;
    };
    const flag = (f: string) => {
      const i = exp.args.indexOf(f);
      return i >= 0 ? exp.args[i + 1] : undefined;
    };
    const tenant = await resolveTenantContext({
      residency: flag("--residency"),
      env: flag("--env"),
      frameworks: flag("--frameworks"),
      tier: flag("--tier"),
    });
    const input = exp.kind === "hcl" ? { hcl: [dir] } : { plans: [path.join(dir, "plan.json")] };
    const { verdict } = await runGate({ ...input, tenant, root: REPO });
    const violations = verdict.findings.filter((f) => f.status === "violation");
    expect({ exit: verdict.exitCode, missing: exp.rules.filter((r) => !violations.some((f) => f.rule === r)) }).toEqual(
      {
        exit: exp.exit,
        missing: [],
      },
    );
    for (const [rule, address] of Object.entries(CAUSE[c] ?? {})) {
      expect(violations.filter((f) => f.rule === rule).map((f) => f.address)).toContain(address);
    }
    if (exp.compliant) twins++;
    else caught++;
  });
});
