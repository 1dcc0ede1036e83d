// A small checker of REST responses against Flink's OpenAPI document of a version
// (sim/flink/specs/flink-rest/rest_v1_dispatcher-<ver>.yml, see its PROVENANCE.md). Used by the contract tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';

export const SPEC_DIR = path.resolve(import.meta.dirname, 'specs', 'flink-rest');

/** Which OpenAPI file describes a Flink version (2.1/2.2 share 2.0's). */
export function specFileFor(flinkVersion: string): string {
  const [a, b] = flinkVersion.split('.').map(Number);
  if (a === 1) return `rest_v1_dispatcher-1.${b <= 19 ? 19 : 20}.yml`;
  return b >= 3 ? 'rest_v1_dispatcher-2.3.yml' : 'rest_v1_dispatcher-2.0.yml';
}

/** OpenAPI 3.0 -> JSON schema: object "oneOf" alternatives without required fields all match, so anyOf. */
function toJsonSchema(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(toJsonSchema);
  if (!x || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
    if (k === 'oneOf') out.anyOf = toJsonSchema(v);
    else if (k === 'nullable' || k === 'discriminator' || k === 'example') continue;
    else if (k === '$ref' && typeof v === 'string') out.$ref = `flink${v}`;
    else out[k] = toJsonSchema(v);
  }
  return out;
}

export interface ContractIssue {
  instancePath: string;
  schemaPath: string;
  message: string;
}

export class FlinkContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly paths: { re: RegExp; ops: Record<string, any> }[];

  constructor(readonly file: string) {
    const doc = parseYaml(readFileSync(path.join(SPEC_DIR, file), 'utf8'));
    this.ajv.addSchema({ $id: 'flink', components: toJsonSchema(doc.components) as object });
    this.paths = Object.entries(doc.paths as Record<string, any>).map(([p, ops]) => ({
      re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
      ops,
    }));
  }

  /** Validates a response body; returns undefined when the spec has no such operation. */
  check(method: string, urlPath: string, status: number, body: unknown): ContractIssue[] | undefined {
    const p = urlPath.split('?')[0];
    const entry = this.paths.find((x) => x.re.test(p));
    const op = entry?.ops[method.toLowerCase()];
    if (!op) return undefined;
    const resp = op.responses?.[String(status)];
    const schema = resp?.content?.['application/json']?.schema;
    if (!resp) return [{ instancePath: '', schemaPath: '', message: `status ${status} is not documented for ${method} ${p}` }];
    if (!schema) return [];
    const validate = this.ajv.compile(toJsonSchema(schema) as object);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, message: e.message ?? '' }));
  }
}
