// Validates Kubernetes objects against the v1.28 OpenAPI v2 definitions (swagger.json), keyed on
// apiVersion/kind through x-kubernetes-group-version-kind (List kinds included). Used by tests to check
// that whatever the simulator returns is a well-formed object of its kind.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readSpecJson } from './specs-dir';

export interface ValidateOptions {
  /**
   * Reject fields the schema does not define (default true): a real server drops unknown fields,
   * so an object it returns never carries them.
   */
  strict?: boolean;
}

const SCHEMA_ID = 'k8s-1.28';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

interface Loaded {
  ajv: Ajv;
  byGvk: Map<string, string>;
  compiled: Map<string, ValidateFunction>;
}

const loaded = new Map<boolean, Loaded>();

function prepareDefinitions(strict: boolean): Record<string, any> {
  const defs = structuredClone(readSpecJson('swagger.json').definitions) as Record<string, any>;
  // Go unmarshals both JSON forms into these types, and marshals Time zero values as null.
  defs[INT_OR_STRING] = { description: defs[INT_OR_STRING].description, anyOf: [{ type: 'string' }, { type: 'integer' }] };
  defs[QUANTITY] = { description: defs[QUANTITY].description, anyOf: [{ type: 'string' }, { type: 'number' }] };
  for (const t of [TIME, MICRO_TIME]) defs[t] = { ...defs[t], type: ['string', 'null'] };
  if (strict) {
    for (const d of Object.values(defs)) {
      if (d.type === 'object' && d.properties && d.additionalProperties === undefined) d.additionalProperties = false;
    }
  }
  return defs;
}

function load(strict: boolean): Loaded {
  let l = loaded.get(strict);
  if (l) return l;
  const defs = prepareDefinitions(strict);
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('int-or-string', () => true);
  ajv.addSchema({ $id: SCHEMA_ID, definitions: defs });
  const byGvk = new Map<string, string>();
  for (const [name, d] of Object.entries(defs)) {
    for (const gvk of (d['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const key = `${apiVersion}/${gvk.kind}`;
      // meta/v1 types (Status, WatchEvent, DeleteOptions) list every group; the first definition wins.
      if (!byGvk.has(key)) byGvk.set(key, name);
    }
  }
  l = { ajv, byGvk, compiled: new Map() };
  loaded.set(strict, l);
  return l;
}

/** The swagger definition name for an apiVersion/kind, e.g. ('apps/v1', 'Deployment') → 'io.k8s.api.apps.v1.Deployment'. */
export function definitionFor(apiVersion: string, kind: string): string | undefined {
  return load(true).byGvk.get(`${apiVersion}/${kind}`);
}

function formatError(e: ErrorObject): string {
  const path = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${path}: unknown field "${(e.params as any).additionalProperty}"`;
  if (e.keyword === 'required') return `${path}: missing required field "${(e.params as any).missingProperty}"`;
  return `${path}: ${e.message ?? e.keyword}`;
}

/** Validates a definition by name (for objects without apiVersion/kind, e.g. list items). */
export function validateDefinition(definition: string, obj: unknown, options: ValidateOptions = {}): string[] {
  const l = load(options.strict ?? true);
  let fn = l.compiled.get(definition);
  if (!fn) {
    fn = l.ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${definition}` });
    l.compiled.set(definition, fn);
  }
  if (fn(obj)) return [];
  const seen = new Set<string>();
  for (const e of fn.errors ?? []) {
    // anyOf branches of IntOrString/Quantity report each failed branch; the anyOf error itself suffices.
    if (e.schemaPath.includes('/anyOf/')) continue;
    seen.add(formatError(e));
  }
  return [...seen];
}

/** Errors of `obj` against the OpenAPI schema of its apiVersion/kind; [] when valid. */
export function validateAgainstOpenApi(obj: any, options: ValidateOptions = {}): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return ['/: must be an object'];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['/: apiVersion and kind must be strings'];
  const def = load(options.strict ?? true).byGvk.get(`${apiVersion}/${kind}`);
  if (!def) return [`/: no OpenAPI schema for apiVersion "${apiVersion}" kind "${kind}"`];
  return validateDefinition(def, obj, options);
}
