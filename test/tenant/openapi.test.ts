/**
 * gateway.apis[].openapi: documents are read relative to the tenants directory, checked at load time, and every
 * problem is reported as file:line:column with the path inside the document (or at the tenant file's reference).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatProblems, loadTenants } from "../../lib/tenant/load";
import { parseOpenApi, templateParameters } from "../../lib/gateway/openapi";

const base = fs.readFileSync(path.resolve(__dirname, "../fixtures/tenants-bad/bad-mtls.yaml"), "utf8");

function tenantYaml(apis: string): string {
  return base
    .replace(/^# .*\n/, "")
    .replace("id: bad-mtls", "id: acme")
    .replace(/ {2}mtlsPartners:\n(?: {4}.*\n)+/, apis);
}

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-openapi-"));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const GOOD = `openapi: 3.0.3
info: { title: Cards, version: "1" }
paths:
  /cards/{cardId}:
    get:
      operationId: getCard
      parameters:
        - { name: cardId, in: path, required: true, schema: { type: string } }
      responses: { "200": { description: ok } }
`;

const apisBlock = (openapi: string, extra = "") =>
  `  apis:\n    - name: cards\n      path: cards\n      openapi: ${openapi}\n${extra}`;

function load(files: Record<string, string>) {
  const dir = dirWith(files);
  const r = loadTenants(dir, { cwd: dir });
  return { ...r, text: formatProblems(r.problems) };
}

describe("gateway.apis OpenAPI documents", () => {
  it("loads a good document with its operations", () => {
    const r = load({ "acme.yaml": tenantYaml(apisBlock("apis/cards.yaml")), "apis/cards.yaml": GOOD });
    expect(r.problems).toEqual([]);
    const api = r.tenants[0].gateway.apis![0];
    expect(api).toMatchObject({ name: "cards", displayName: "Cards", format: "openapi", version: "1" });
    expect(api.operations).toEqual([
      { operationId: "getCard", method: "GET", path: "/cards/{cardId}", pathParameters: ["cardId"] },
    ]);
    expect(r.tenants[0].gateway.requestCardData).toBe("block");
  });

  it("reports problems inside the document at its own file:line:column", () => {
    const bad = `openapi: 2.0
info: { title: Cards, version: "1" }
paths:
  /cards/{cardId}:
    get:
      responses: { "200": { description: ok } }
    post:
      operationId: addCard
      requestBody:
        content:
          text/plain: { schema: { type: string } }
      parameters:
        - { name: cardId, in: path, required: true }
  /other:
    put:
      operationId: addCard
`;
    const r = load({ "acme.yaml": tenantYaml(apisBlock("apis/cards.yaml")), "apis/cards.yaml": bad });
    expect(r.tenants).toEqual([]);
    expect(r.text).toBe(
      [
        "apis/cards.yaml:1:10 openapi: unsupported or missing openapi version: the number 2 (quote the version) (expected 3.0.x or 3.1.x)",
        "apis/cards.yaml:6:7 paths./cards/{cardId}.get: operationId is missing (expected a unique operationId of letters, digits, _ and - (max 80), starting with a letter)",
        'apis/cards.yaml:6:7 paths./cards/{cardId}.get: path parameter "cardId" of /cards/{cardId} is not declared (expected a parameter { name: cardId, in: path, required: true })',
        "apis/cards.yaml:10:9 paths./cards/{cardId}.post.requestBody: the request body has no application/json schema (expected content: { application/json: { schema: … } } (validate-content checks bodies against it))",
        'apis/cards.yaml:16:20 paths./other.put.operationId: duplicate operationId "addCard" (also POST /cards/{cardId}) (expected operationIds unique in the document)',
      ].join("\n"),
    );
  });

  it("reports a missing file, an escape from the tenants directory and YAML errors", () => {
    const missing = load({ "acme.yaml": tenantYaml(apisBlock("apis/none.yaml")) });
    expect(missing.text).toMatch(
      /^acme\.yaml:\d+:\d+ gateway\.apis\[0\]\.openapi: OpenAPI file "apis\/none\.yaml" does not exist/,
    );
    const dotdot = load({ "acme.yaml": tenantYaml(apisBlock("../outside.yaml")) });
    expect(dotdot.text).toMatch(/gateway\.apis\[0\]\.openapi: invalid value "\.\.\/outside\.yaml"/);
    const outside = dirWith({ "cards.yaml": GOOD });
    const dir = dirWith({ "acme.yaml": tenantYaml(apisBlock("apis/cards.yaml")) });
    fs.symlinkSync(outside, path.join(dir, "apis"));
    const linked = loadTenants(dir, { cwd: dir });
    expect(formatProblems(linked.problems)).toMatch(/resolves outside the tenants directory; refused/);
    const syntax = load({ "acme.yaml": tenantYaml(apisBlock("apis/cards.yaml")), "apis/cards.yaml": "openapi: [3\n" });
    expect(syntax.text).toMatch(/^apis\/cards\.yaml:\d+:\d+ YAML syntax error/);
  });

  it("checks the ownership parameter against the document's path parameters", () => {
    const r = load({
      "acme.yaml": tenantYaml(
        apisBlock("apis/cards.yaml", "      ownership: { parameter: accountId, claim: account_ids }\n"),
      ),
      "apis/cards.yaml": GOOD,
    });
    expect(r.text).toMatch(
      /gateway\.apis\[0\]\.ownership\.parameter: no operation of "apis\/cards\.yaml" has the path parameter "accountId" \(expected one of: cardId\)/,
    );
  });

  it("rejects duplicate API names and paths", () => {
    const two = `  apis:\n    - { name: cards, path: cards, openapi: apis/cards.yaml }\n    - { name: cards, path: cards, openapi: apis/cards.yaml }\n`;
    const r = load({ "acme.yaml": tenantYaml(two), "apis/cards.yaml": GOOD });
    expect(r.text).toMatch(/duplicate API name "cards"/);
    expect(r.text).toMatch(/duplicate API path "cards"/);
  });

  it("parses JSON documents and $ref path parameters", () => {
    const json = JSON.stringify({
      openapi: "3.1.0",
      info: { title: "J", version: "1" },
      paths: { "/a/{x}": { get: { operationId: "getA", parameters: [{ $ref: "#/components/parameters/X" }] } } },
      components: { parameters: { X: { name: "x", in: "path", required: true } } },
    });
    const r = parseOpenApi(json);
    expect(r.issues).toEqual([]);
    expect(r.summary!.operations[0].pathParameters).toEqual(["x"]);
    expect(templateParameters("/a/{b}/c/{d}")).toEqual(["b", "d"]);
    expect(parseOpenApi("openapi: 3.0.0\ninfo: {title: t, version: v}\npaths: {}\n").issues[0].message).toMatch(
      /no paths/,
    );
  });
});

describe("hostile OpenAPI inputs (test/fixtures/hostile/openapi, the hostile-corpus format)", () => {
  const root = path.resolve(__dirname, "../fixtures/hostile/openapi");
  const cases = fs.readdirSync(root).sort();

  it("has the cases", () => {
    expect(cases).toEqual([
      "alias-bomb",
      "deep-nesting",
      "dotdot-path",
      "invalid-utf8",
      "missing-file",
      "symlink-escape",
    ]);
  });

  it.each(cases)("%s is refused with its expected message and no tenant", (c) => {
    const spec = JSON.parse(fs.readFileSync(path.join(root, c, "case.json"), "utf8"));
    expect(spec.args).toEqual(["validate", "--tenants", "{case}/tenants"]);
    const r = loadTenants(path.join(root, c, "tenants"));
    expect(r.tenants).toEqual([]);
    expect(formatProblems(r.problems)).toContain(spec.stderr);
  });
});
