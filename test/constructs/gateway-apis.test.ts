// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import "cdktf/lib/testing/adapters/jest";
import * as path from "node:path";
import { Testing } from "cdktf";
import { policyXmlParser } from "../helpers/policy-xml";
import { ApiManagementApi } from "@cdktf/provider-azurerm/lib/api-management-api";
import { ApiManagementProductApi } from "@cdktf/provider-azurerm/lib/api-management-product-api";
import { GatewayApis } from "../../constructs/gateway-apis";
import { loadTenants } from "../../lib/tenant/load";
import type { Tenant } from "../../lib/tenant/types";
import {
  apiPolicyXml,
  bolaViolationCondition,
  guardedOperations,
  JWT_VARIABLE,
  operationPolicyXml,
  PolicyValueError,
  apiPolicy,
} from "../../lib/gateway/policies";
import { PAN_PATTERN, findPans } from "../../lib/gateway/pan";
import { csharpVerbatim } from "../../lib/gateway/policies";
import { serialize, unescapeTerraformTemplate } from "../../lib/gateway/xml";

Testing.setupJest();
type Node = Record<string, unknown>;

const parseXml = policyXmlParser(["when", "set-header", "#comment", "content"]);

/** Parse with a real XML parser after checking well-formedness; returns the <policies> element. */
function policies(xml: string): Node {
  const doc = parseXml(xml);
  expect(Object.keys(doc)).toEqual(["policies"]);
  return doc.policies as Node;
}

const REPO = path.resolve(__dirname, "../..");
let northwind: Tenant;

beforeAll(() => {
  const { tenants, problems } = loadTenants(path.join(REPO, "tenants"), { cwd: REPO });
  expect(problems).toEqual([]);
  northwind = tenants.find((t) => t.id === "northwind-bank")!;
});

describe("the example tenant publishes two APIs from OpenAPI files", () => {
  it("loads both documents with their operations", () => {
    const apis = northwind.gateway.apis ?? [];
    expect(apis.map((a) => [a.name, a.format, a.openapi])).toEqual([
      ["accounts", "openapi", "apis/northwind-bank/accounts.yaml"],
      ["payments", "openapi+json", "apis/northwind-bank/payments.json"],
    ]);
    expect(apis[0].operations.map((o) => o.operationId)).toEqual(["listAccounts", "getAccount", "listTransactions"]);
    expect(apis[0].displayName).toBe("Northwind Accounts");
    expect(guardedOperations(apis[0]).map((o) => o.operationId)).toEqual(["getAccount", "listTransactions"]);
    expect(guardedOperations(apis[1]).map((o) => o.operationId)).toEqual(["initiatePayment"]);
  });
});

describe("API policy", () => {
  it("keeps <base /> everywhere and validates parameters and bodies against the schema", () => {
    const p = policies(apiPolicyXml(northwind, northwind.gateway.apis![0]));
    for (const s of ["inbound", "backend", "outbound", "on-error"]) expect(p[s] as Node).toHaveProperty("base");
    const inbound = p.inbound as Node;
    expect(Object.keys(inbound).filter((k) => !k.startsWith("#"))[0]).toBe("base");
    expect(inbound["validate-parameters"]).toMatchObject({
      "@specified-parameter-action": "prevent",
      "@unspecified-parameter-action": "prevent",
    });
    const vc = inbound["validate-content"] as Node;
    expect(vc).toMatchObject({ "@unspecified-content-type-action": "prevent", "@size-exceeded-action": "prevent" });
    expect(vc.content).toEqual([
      {
        "@type": "application/json",
        "@validate-as": "json",
        "@action": "prevent",
        "@allow-additional-properties": "false",
      },
    ]);
  });

  it("blocks a card number in the request body with 422 (tenant choice: block)", () => {
    const when = (
      ((policies(apiPolicyXml(northwind, northwind.gateway.apis![1])).inbound as Node).choose as Node).when as Node[]
    )[0];
    const cond = when["@condition"] as string;
    expect(cond).toContain("context.Request.Body");
    expect(cond).toContain(csharpVerbatim(PAN_PATTERN));
    expect(cond).toMatch(/sum % 10 == 0/);
    const rr = when["return-response"] as Node;
    expect((rr["set-status"] as Node)["@code"]).toBe("422");
    expect(JSON.parse(rr["set-body"] as string)).toMatchObject({ status: 422 });
    // the TypeScript mirror of the same pattern finds what the gateway would block
    expect(findPans('{"remittance":"card 4111 1111 1111 1111"}')).toHaveLength(1);
  });

  it("masks it instead when the tenant chooses mask", () => {
    const t: Tenant = { ...northwind, gateway: { ...northwind.gateway, requestCardData: "mask" } };
    const when = (((policies(apiPolicyXml(t, t.gateway.apis![1])).inbound as Node).choose as Node).when as Node[])[0];
    expect(when["return-response"]).toBeUndefined();
    const body = when["set-body"] as string;
    expect(body).toContain("context.Request.Body.As<string>(preserveContent: true)");
    expect(body).toContain("sb.Append(seen <= d.Length - 4 ? '*' : ch)");
  });

  it("rejects values APIM would interpret", () => {
    expect(() => apiPolicy({ tenantId: "t", apiName: "@(evil)", requestCardData: "block" })).toThrow(PolicyValueError);
    expect(() => apiPolicy({ tenantId: "t", apiName: "a", requestCardData: "log" as unknown as "block" })).toThrow(
      /block or mask/,
    );
  });
});

describe("operation policy (BOLA guard)", () => {
  it("returns 403 unless the path's object id is a value of the token's ownership claim", () => {
    const api = northwind.gateway.apis![0];
    const op = guardedOperations(api)[0];
    const p = policies(operationPolicyXml(northwind, api, op));
    for (const s of ["inbound", "backend", "outbound", "on-error"]) expect(p[s] as Node).toHaveProperty("base");
    const when = ((p.inbound as Node).choose as Node).when as Node[];
    const cond = when[0]["@condition"] as string;
    expect(cond).toBe(bolaViolationCondition("accountId", "account_ids"));
    expect(cond).toContain(`context.Variables.GetValueOrDefault<Jwt>(@"${JWT_VARIABLE}")`);
    expect(cond).toContain('context.Request.MatchedParameters.GetValueOrDefault(@"accountId", "")');
    expect(cond).toContain('jwt.Claims.GetValueOrDefault(@"account_ids", "")');
    // no token or no id → deny (fail closed)
    expect(cond).toContain("if (jwt == null || string.IsNullOrEmpty(id)) { return true; }");
    expect(((when[0]["return-response"] as Node)["set-status"] as Node)["@code"]).toBe("403");
  });

  it("is only generated for APIs with ownership settings", () => {
    const api = { ...northwind.gateway.apis![0], ownership: undefined };
    expect(guardedOperations(api)).toEqual([]);
    expect(() => operationPolicyXml(northwind, api, api.operations[1])).toThrow(/ownership/);
  });
});

describe("GatewayApis construct", () => {
  const out = () =>
    Testing.synthScope((s) => {
      new GatewayApis(s, "apis", {
        apiManagementName: "apim-t",
        resourceGroupName: "rg",
        productId: "t",
        tenant: northwind,
      });
    });

  it("imports each OpenAPI document over HTTPS with a subscription, linked to the tenant product", () => {
    const o = out();
    const json = JSON.parse(o);
    const apis = Object.values(json.resource.azurerm_api_management_api) as Node[];
    expect(apis).toHaveLength(2);
    expect(o).toHaveResourceWithProperties(ApiManagementApi, {
      name: "accounts",
      path: "accounts",
      protocols: ["https"],
      subscription_required: true,
      import: { content_format: "openapi", content_value: expect.stringContaining("operationId: getAccount") },
    });
    const payments = apis.find((a) => a.name === "payments")!;
    expect(JSON.parse(unescapeTerraformTemplate((payments.import as Node).content_value as string)).openapi).toBe(
      "3.1.0",
    );
    expect(o).toHaveResourceWithProperties(ApiManagementProductApi, { product_id: "t" });
    expect(Object.keys(json.resource.azurerm_api_management_product_api)).toHaveLength(2);
  });

  it("attaches one API policy per API and one BOLA guard per guarded operation, all well-formed XML", () => {
    const json = JSON.parse(out());
    const apiPolicies = Object.values(json.resource.azurerm_api_management_api_policy) as Node[];
    expect(apiPolicies).toHaveLength(2);
    const ops = Object.values(json.resource.azurerm_api_management_api_operation_policy) as Node[];
    expect(ops.map((o) => o.operation_id).sort()).toEqual(["getAccount", "initiatePayment", "listTransactions"]);
    for (const p of [...apiPolicies, ...ops]) policies(unescapeTerraformTemplate(p.xml_content as string));
  });

  it("escapes Terraform template sequences from the OpenAPI text", () => {
    const api = {
      ...northwind.gateway.apis![0],
      content: 'openapi: 3.0.3\ninfo: { title: "${var.x}", version: "1" }\n',
    };
    const t: Tenant = { ...northwind, gateway: { ...northwind.gateway, apis: [api] } };
    const json = JSON.parse(
      Testing.synthScope((s) => {
        new GatewayApis(s, "apis", { apiManagementName: "a", resourceGroupName: "rg", productId: "t", tenant: t });
      }),
    );
    const v = (Object.values(json.resource.azurerm_api_management_api)[0] as Node).import as Node;
    expect(v.content_value).toContain("$${var.x}");
  });

  it("serializes the same tree the builder returns", () => {
    const a = northwind.gateway.apis![0];
    expect(apiPolicyXml(northwind, a)).toBe(
      serialize(apiPolicy({ tenantId: northwind.id, apiName: a.name, requestCardData: "block" })),
    );
  });
});
