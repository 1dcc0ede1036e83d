// Test support: checks a request the client built and the answer it accepted against Flink's OpenAPI file
// of a REST line (lib/flink-rest/specs), with ajv and every $ref resolved.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { ContractIssue } from '../known-deviations';
import type { RestLine } from '../versions';

const SPEC_DIR = path.resolve(import.meta.dirname, '..', 'specs');

type Operation = {
  parameters?: { name: string; in: 'path' | 'query'; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/**
 * OpenAPI 3.0 → JSON schema for ajv: oneOf alternatives without required fields all match, so anyOf; refs
 * into one document. `strict` (for request bodies) forbids properties the schema does not name, as Flink
 * does: its handlers read bodies with RestMapperUtils' strict ObjectMapper (FAIL_ON_UNKNOWN_PROPERTIES), and
 * an unknown field is a 400 "Request did not match expected format". Answers stay lenient.
 */
function toJsonSchema(x: unknown, strict = false): unknown {
  if (Array.isArray(x)) return x.map((v) => toJsonSchema(v, strict));
  if (!x || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
    if (k === 'oneOf') out.anyOf = toJsonSchema(v, strict);
    else if (k === 'nullable' || k === 'discriminator' || k === 'example') continue;
    else if (k === '$ref' && typeof v === 'string') out.$ref = `${strict ? 'flink-strict' : 'flink'}${v}`;
    else out[k] = toJsonSchema(v, strict);
  }
  if (strict && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly paths: { template: string; re: RegExp; names: string[]; ops: Record<string, Operation> }[];
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(readonly line: RestLine) {
    const doc = parseYaml(readFileSync(path.join(SPEC_DIR, `rest_v1_dispatcher-${line}.yml`), 'utf8'));
    this.ajv.addSchema({ $id: 'flink', components: toJsonSchema(doc.components) as object });
    this.ajv.addSchema({ $id: 'flink-strict', components: toJsonSchema(doc.components, true) as object });
    this.paths = Object.entries(doc.paths as Record<string, Record<string, Operation>>).map(([template, ops]) => ({
      template,
      names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      re: new RegExp('^' + template.replace(/\{[^}]+\}/g, '([^/]+)') + '$'),
      ops,
    }));
  }

  private readonly compiledStrict = new Map<unknown, ValidateFunction>();

  private validate(schema: unknown, value: unknown, strict = false): ContractIssue[] {
    const cache = strict ? this.compiledStrict : this.compiled;
    let fn = cache.get(schema);
    if (!fn) {
      fn = this.ajv.compile(toJsonSchema(schema, strict) as object);
      cache.set(schema, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, message: e.message ?? '' }));
  }

  private find(method: string, urlPath: string) {
    const [p] = urlPath.split('?');
    for (const entry of this.paths) {
      const m = entry.re.exec(p);
      const op = m && entry.ops[method.toLowerCase()];
      if (m && op) return { entry, op, values: m.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }

  /** The request: a documented method + path, path/query parameters of the documented type, the body against its schema. */
  checkRequest(method: string, urlPath: string, body: unknown): ContractIssue[] {
    const found = this.find(method, urlPath);
    if (!found) return [{ instancePath: '', schemaPath: '', message: `${method} ${urlPath.split('?')[0]} is not in the ${this.line} spec` }];
    const { entry, op, values } = found;
    const issues: ContractIssue[] = [];
    const params = op.parameters ?? [];
    entry.names.forEach((name, i) => {
      const param = params.find((p) => p.in === 'path' && p.name === name);
      if (!param) issues.push({ instancePath: `/path/${name}`, schemaPath: '', message: 'path parameter not documented' });
      else if (param.schema) issues.push(...this.validate(param.schema, values[i]).map((x) => ({ ...x, instancePath: `/path/${name}${x.instancePath}` })));
    });
    const query = new URLSearchParams(urlPath.split('?')[1] ?? '');
    for (const [name, value] of query) {
      const param = params.find((p) => p.in === 'query' && p.name === name);
      if (!param) issues.push({ instancePath: `/query/${name}`, schemaPath: '', message: 'query parameter not documented' });
      else if (param.schema) {
        const s = param.schema as { type?: string };
        const typed = s.type === 'integer' || s.type === 'number' ? Number(value) : s.type === 'boolean' ? value === 'true' : value;
        issues.push(...this.validate(param.schema, typed).map((x) => ({ ...x, instancePath: `/query/${name}${x.instancePath}` })));
      }
    }
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (body !== undefined) {
      if (!schema) issues.push({ instancePath: '/body', schemaPath: '', message: 'a body where the spec has none' });
      else issues.push(...this.validate(schema, body, true).map((x) => ({ ...x, instancePath: `/body${x.instancePath}` })));
    }
    return issues;
  }

  /** The answer the client accepted: a documented status and a body that validates. */
  checkResponse(method: string, urlPath: string, status: number, body: unknown): ContractIssue[] {
    const found = this.find(method, urlPath);
    if (!found) return [{ instancePath: '', schemaPath: '', message: `${method} ${urlPath.split('?')[0]} is not in the ${this.line} spec` }];
    const resp = found.op.responses?.[String(status)];
    if (!resp) return [{ instancePath: '', schemaPath: '', message: `status ${status} is not documented for ${method} ${found.entry.template}` }];
    const schema = resp.content?.['application/json']?.schema;
    return schema ? this.validate(schema, body) : [];
  }
}
