/**
 * OpenAPI documents of a tenant's APIs (`gateway.apis[].openapi` in tenants/<id>.yaml): parsed with positions and
 * checked at load time, so a bad document is reported as `file:line:column path: problem` before anything is
 * synthesized. What is checked is what the gateway relies on:
 *  - OpenAPI 3.0.x or 3.1.x, `info.title` and `info.version`, at least one path;
 *  - every operation has a unique `operationId` (APIM names the imported operations after it; per-operation policies
 *    are attached by it);
 *  - every `{parameter}` of a path template is declared `in: path` (path- or operation-level, or a
 *    `#/components/parameters/...` reference to one);
 *  - request bodies declare `application/json` with a schema (validate-content checks bodies against it).
 * The document text is imported into API Management unchanged (`azurerm_api_management_api` `import`).
 */
import { parseYamlWithPositions, positionOf, YamlProblem, type NodePosition } from "../tenant/yaml";

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

export interface ApiOperation {
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path template, e.g. `/accounts/{accountId}`. */
  readonly path: string;
  /** Names of the template parameters of the path. */
  readonly pathParameters: readonly string[];
}

export interface OpenApiSummary {
  readonly title: string;
  readonly version: string;
  readonly operations: readonly ApiOperation[];
}

export interface OpenApiIssue {
  readonly line: number;
  readonly column: number;
  /** Dotted path in the document, e.g. `paths./accounts.get.operationId`. */
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
}

const OPERATION_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,79}$/;

function obj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}

function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => unescape(s))
    .join(".");
}

function esc(seg: string): string {
  return seg.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Template parameters of a path, in order (`/a/{x}/b/{y}` → x, y). */
export function templateParameters(p: string): string[] {
  return [...p.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

/** Parse and check an OpenAPI document. Returns the summary, or undefined with issues. */
export function parseOpenApi(text: string): { summary?: OpenApiSummary; issues: OpenApiIssue[] } {
  const issues: OpenApiIssue[] = [];
  let positions: ReadonlyMap<string, NodePosition> = new Map();
  const at = (pointer: string, message: string, expected?: string) => {
    const pos = positionOf(positions, pointer);
    issues.push({
      line: pos.line,
      column: pos.column,
      path: dotted(pointer),
      message,
      ...(expected ? { expected } : {}),
    });
  };
  let doc: unknown;
  try {
    const parsed = parseYamlWithPositions(text);
    positions = parsed.positions;
    if (parsed.documents.length !== 1) {
      issues.push({ line: 1, column: 1, path: "", message: "an OpenAPI file holds exactly one document" });
      return { issues };
    }
    doc = parsed.documents[0];
  } catch (e) {
    if (e instanceof YamlProblem) issues.push({ line: e.line, column: e.column, path: "", message: e.message });
    else issues.push({ line: 1, column: 1, path: "", message: `cannot be parsed: ${(e as Error).message}` });
    return { issues };
  }
  if (!obj(doc)) {
    at("", "an OpenAPI document is a mapping", "keys openapi, info, paths");
    return { issues };
  }
  if (typeof doc.openapi !== "string" || !/^3\.[01]\.\d+$/.test(doc.openapi)) {
    const got =
      typeof doc.openapi === "number"
        ? `the number ${doc.openapi} (quote the version)`
        : JSON.stringify(doc.openapi ?? null);
    at(doc.openapi === undefined ? "" : "/openapi", `unsupported or missing openapi version: ${got}`, "3.0.x or 3.1.x");
  }
  const info = doc.info;
  if (!obj(info) || typeof info.title !== "string" || !info.title.trim())
    at(obj(info) ? "/info" : "", "info.title is missing", "a non-empty title");
  if (!obj(info) || typeof info.version !== "string")
    at(obj(info) ? "/info" : "", "info.version is missing", "a version string");
  const paths = doc.paths;
  if (!obj(paths) || Object.keys(paths).length === 0) {
    at(obj(paths) ? "/paths" : "", "the document has no paths", "at least one path with an operation");
    return { issues };
  }
  const components = obj(doc.components) && obj(doc.components.parameters) ? doc.components.parameters : {};
  const resolve = (p: unknown): Record<string, unknown> | undefined => {
    if (!obj(p)) return undefined;
    if (typeof p.$ref === "string") {
      const m = /^#\/components\/parameters\/(.+)$/.exec(p.$ref);
      const target = m ? (components as Record<string, unknown>)[unescape(m[1])] : undefined;
      return obj(target) ? target : undefined;
    }
    return p;
  };
  const declared = (list: unknown): Set<string> =>
    new Set(
      (Array.isArray(list) ? list : [])
        .map(resolve)
        .filter((p): p is Record<string, unknown> => !!p && p.in === "path" && typeof p.name === "string")
        .map((p) => p.name as string),
    );

  const operations: ApiOperation[] = [];
  const seen = new Map<string, string>();
  for (const [p, item] of Object.entries(paths)) {
    const pp = `/paths/${esc(p)}`;
    if (!p.startsWith("/"))
      at(pp, `path ${JSON.stringify(p)} does not start with /`, "a path such as /accounts/{accountId}");
    if (!obj(item)) {
      at(pp, "a path item is a mapping of operations");
      continue;
    }
    const params = templateParameters(p);
    const pathLevel = declared(item.parameters);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const op_ = `${pp}/${method}`;
      if (!obj(op)) {
        at(op_, "an operation is a mapping");
        continue;
      }
      const id = op.operationId;
      if (typeof id !== "string" || !OPERATION_ID_RE.test(id)) {
        at(
          id === undefined ? op_ : `${op_}/operationId`,
          `operationId ${id === undefined ? "is missing" : `${JSON.stringify(id)} is invalid`}`,
          "a unique operationId of letters, digits, _ and - (max 80), starting with a letter",
        );
      } else if (seen.has(id)) {
        at(
          `${op_}/operationId`,
          `duplicate operationId ${JSON.stringify(id)} (also ${seen.get(id)})`,
          "operationIds unique in the document",
        );
      } else {
        seen.set(id, `${method.toUpperCase()} ${p}`);
      }
      const opLevel = declared(op.parameters);
      for (const name of params) {
        if (!pathLevel.has(name) && !opLevel.has(name)) {
          at(
            op_,
            `path parameter ${JSON.stringify(name)} of ${p} is not declared`,
            `a parameter { name: ${name}, in: path, required: true }`,
          );
        }
      }
      const body = resolve(op.requestBody) ?? (obj(op.requestBody) ? op.requestBody : undefined);
      if (body) {
        const json = obj(body.content) ? body.content["application/json"] : undefined;
        if (!obj(json) || !obj(json.schema)) {
          at(
            `${op_}/requestBody`,
            "the request body has no application/json schema",
            "content: { application/json: { schema: … } } (validate-content checks bodies against it)",
          );
        }
      }
      if (typeof id === "string" && OPERATION_ID_RE.test(id)) {
        operations.push({ operationId: id, method: method.toUpperCase(), path: p, pathParameters: params });
      }
    }
  }
  if (operations.length === 0 && issues.length === 0)
    at("/paths", "the document has no operations", "at least one operation");
  if (issues.length) return { issues };
  return {
    summary: {
      title: (info as Record<string, string>).title,
      version: (info as Record<string, string>).version,
      operations,
    },
    issues,
  };
}
