// Decoding an object as kube-apiserver's JSON decoder does, against the OpenAPI v2 definitions of
// swagger.json: unknown fields (strict field validation), type mismatches and malformed quantities.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResourceType } from '../resources';
import { quantityJSONError } from './quantity';
import { k8sSpecsDir } from '../openapi/specs-dir';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

let definitions: Record<string, Schema> | undefined;

/** swagger.json's definitions, read once. */
export function getDefinitions(): Record<string, Schema> {
  if (!definitions) {
    const file = path.join(k8sSpecsDir(), 'swagger.json');
    definitions = (JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, Schema> }).definitions;
  }
  return definitions;
}

const defNameCache = new Map<string, string | undefined>();

/** "io.k8s.api.apps.v1.Deployment" for the resource type's kind. */
export function definitionName(rt: Pick<ResourceType, 'group' | 'version' | 'kind'>): string | undefined {
  const key = `${rt.group}/${rt.version}/${rt.kind}`;
  if (defNameCache.has(key)) return defNameCache.get(key);
  let found: string | undefined;
  for (const [name, def] of Object.entries(getDefinitions())) {
    const gvks = def['x-kubernetes-group-version-kind'];
    if (gvks?.some((g) => g.group === rt.group && g.version === rt.version && g.kind === rt.kind) && !name.includes('.apiextensions')) {
      found = name;
      break;
    }
  }
  defNameCache.set(key, found);
  return found;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

function refName(s: Schema): string | undefined {
  return s.$ref?.replace('#/definitions/', '');
}

function resolve(s: Schema): { schema: Schema; name?: string } {
  let name: string | undefined;
  while (s.$ref) {
    name = refName(s);
    s = getDefinitions()[name!] ?? {};
  }
  return { schema: s, name };
}

function goPackage(defName: string): string {
  if (defName === QUANTITY) return 'resource';
  if (defName.endsWith('intstr.IntOrString')) return 'intstr';
  const parts = defName.split('.');
  return parts[parts.length - 2];
}

/** The Go type's name as reflect prints it: int32, []v1.Container, map[string]string, v1.PodSpec. */
function goTypeName(s: Schema): string {
  const name = refName(s);
  if (name) {
    const { schema } = resolve(s);
    if (schema.type === 'string' && name !== QUANTITY && !name.endsWith('IntOrString') && !name.endsWith('.Time') && !name.endsWith('.MicroTime'))
      return 'string';
    return `${goPackage(name)}.${name.split('.').pop()}`;
  }
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return s.format === 'int64' ? 'int64' : s.format === 'int32' ? 'int32' : 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return '[]' + (s.items ? goTypeName(s.items) : 'interface {}');
    case 'object':
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return 'map[string]' + goTypeName(s.additionalProperties);
      return 'map[string]interface {}';
  }
  return 'interface {}';
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

export interface DecodeResult {
  /** Unknown field paths in document order, e.g. "spec.template.spec.containers[0].imagePullPolicyy". */
  unknown: string[];
  /** The error that makes the body undecodable (400 BadRequest even without strict validation). */
  error?: string;
}

interface Ctx {
  unknown: string[];
  typeError?: string;
  fatal?: string;
  /** Strict path ("a.b[0].c") and the Go error context (struct name, field path without indices). */
}

function walk(v: unknown, s: Schema, strictPath: string, goStruct: string, goField: string, ctx: Ctx): void {
  if (ctx.fatal) return;
  if (v === null || v === undefined) return;
  const { schema, name } = resolve(s);
  if (name === QUANTITY) {
    const err = quantityJSONError(v);
    if (err) ctx.fatal = err;
    return;
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) return;
  const typeErr = (got: unknown) => {
    if (ctx.typeError) return;
    const value = typeof got === 'number' && !Number.isInteger(got) && schema.type === 'integer' ? `number ${got}` : jsonKind(got);
    ctx.typeError = goStruct
      ? `json: cannot unmarshal ${value} into Go struct field ${goStruct}.${goField} of type ${goTypeName(s)}`
      : `json: cannot unmarshal ${value} into Go value of type ${goTypeName(s)}`;
  };
  if (schema.format === 'int-or-string') {
    // IntOrString.UnmarshalJSON decodes anything but a string into an int32, and its error aborts decoding.
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return;
    const value = typeof v === 'number' ? `number ${v}` : jsonKind(v);
    ctx.fatal = goStruct
      ? `json: cannot unmarshal ${value} into Go struct field ${goStruct}.${goField} of type int32`
      : `json: cannot unmarshal ${value} into Go value of type int32`;
    return;
  }
  switch (schema.type) {
    case 'string':
      if (typeof v !== 'string') typeErr(v);
      else if (schema.format === 'byte' && !ctx.typeError) {
        const at = base64ErrorOffset(v);
        if (at !== undefined) ctx.typeError = `illegal base64 data at input byte ${at}`;
      }
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) typeErr(v);
      return;
    case 'number':
      if (typeof v !== 'number') typeErr(v);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') typeErr(v);
      return;
    case 'array':
      if (!Array.isArray(v)) return typeErr(v);
      v.forEach((item, i) => schema.items && walk(item, schema.items, `${strictPath}[${i}]`, goStruct, goField, ctx));
      return;
  }
  // objects
  if (typeof v !== 'object' || Array.isArray(v)) {
    if (schema.type === 'object' || schema.properties) typeErr(v);
    return;
  }
  const join = (p: string, k: string) => (p ? `${p}.${k}` : k);
  if (schema.properties) {
    const structName = name ? name.split('.').pop()! : goStruct;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const prop = schema.properties[k];
      if (!prop) {
        ctx.unknown.push(join(strictPath, k));
        continue;
      }
      walk(child, prop, join(strictPath, k), structName, join(goField, k), ctx);
      if (ctx.fatal) return;
    }
    return;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      walk(child, schema.additionalProperties, join(strictPath, k), goStruct, goField, ctx);
      if (ctx.fatal) return;
    }
  }
  // type: object without properties (FieldsV1, RawExtension): opaque
}

/** Decodes obj as the kind of rt: unknown fields and the decoding error, if any. */
export function decodeObject(rt: Pick<ResourceType, 'group' | 'version' | 'kind'>, obj: unknown): DecodeResult {
  const def = definitionName(rt);
  if (!def) return { unknown: [] };
  const ctx: Ctx = { unknown: [] };
  walk(obj, { $ref: `#/definitions/${def}` }, '', '', '', ctx);
  return { unknown: ctx.unknown, error: ctx.fatal ?? ctx.typeError };
}

/** Removes the fields the schema does not know (what the non-strict decoder silently drops). Mutates obj. */
export function pruneUnknownFields(rt: Pick<ResourceType, 'group' | 'version' | 'kind'>, obj: unknown): void {
  const def = definitionName(rt);
  if (!def) return;
  const prune = (v: unknown, s: Schema) => {
    if (v === null || typeof v !== 'object') return;
    const { schema } = resolve(s);
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(v)) {
      if (schema.items) for (const item of v) prune(item, schema.items);
      return;
    }
    if (schema.properties) {
      for (const k of Object.keys(v)) {
        const p = schema.properties[k];
        if (!p) delete (v as Record<string, unknown>)[k];
        else prune((v as Record<string, unknown>)[k], p);
      }
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const child of Object.values(v)) prune(child, schema.additionalProperties);
    }
  };
  prune(obj, { $ref: `#/definitions/${def}` });
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Where Go's base64.StdEncoding.Decode reports a CorruptInputError, or undefined when s decodes. */
export function base64ErrorOffset(src: string): number | undefined {
  let si = 0;
  const n = src.length;
  const isNL = (c: string) => c === '\n' || c === '\r';
  for (;;) {
    // one quantum of up to four characters
    for (let j = 0; j < 4; j++) {
      if (si === n) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = src[si++];
      if (B64.includes(c)) continue;
      if (isNL(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      if (j === 0 || j === 1) return si - 1;
      if (j === 2) {
        while (si < n && isNL(src[si])) si++;
        if (si === n) return n;
        if (src[si] !== '=') return si - 1;
        si++;
      }
      while (si < n && isNL(src[si])) si++;
      if (si < n) return si;
      return undefined;
    }
  }
}
