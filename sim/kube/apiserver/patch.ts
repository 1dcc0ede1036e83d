// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch with the list
// strategies and merge keys of the OpenAPI v2 document (x-kubernetes-patch-strategy/-merge-key).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { k8sSpecsDir } from '../openapi/specs-dir';

export class PatchError extends Error {
  constructor(
    message: string,
    readonly kind: 'BadRequest' | 'Invalid',
  ) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------- merge patch ----------

export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, any> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---------- JSON patch ----------

function unescapePtr(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function deepEqual(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

export function jsonPatch(doc: any, ops: any): any {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', 'BadRequest');
  let root = structuredClone(doc);
  const resolve = (p: string, op: string): { parent: any; key: string } => {
    if (p === '') return { parent: undefined, key: '' };
    if (!p.startsWith('/')) throw new PatchError(`doc is missing path: "${p}": missing value`, 'Invalid');
    const parts = p.slice(1).split('/').map(unescapePtr);
    let cur = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const k = parts[i];
      const next = Array.isArray(cur) ? cur[Number(k)] : isObj(cur) ? cur[k] : undefined;
      if (next === undefined || next === null || typeof next !== 'object') {
        throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}": missing value`, 'Invalid');
      }
      cur = next;
    }
    return { parent: cur, key: parts[parts.length - 1] };
  };
  const get = (p: string, op: string): any => {
    if (p === '') return root;
    const { parent, key } = resolve(p, op);
    const v = Array.isArray(parent) ? parent[Number(key)] : parent?.[key];
    if (v === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}": missing value`, 'Invalid');
    return v;
  };
  const add = (p: string, value: any, op: string) => {
    if (p === '') {
      root = value;
      return;
    }
    const { parent, key } = resolve(p, op);
    if (Array.isArray(parent)) {
      const idx = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`, 'Invalid');
      parent.splice(idx, 0, value);
    } else if (isObj(parent)) parent[key] = value;
    else throw new PatchError(`${op} operation does not apply: doc is missing path: "${p}": missing value`, 'Invalid');
  };
  const remove = (p: string, op: string) => {
    const { parent, key } = resolve(p, op);
    if (Array.isArray(parent)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`, 'Invalid');
      return parent.splice(idx, 1)[0];
    }
    if (!isObj(parent) || !(key in parent)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`, 'Invalid');
    const v = parent[key];
    delete parent[key];
    return v;
  };
  for (const o of ops) {
    const op = o?.op;
    switch (op) {
      case 'add':
        add(o.path, structuredClone(o.value), op);
        break;
      case 'remove':
        remove(o.path, op);
        break;
      case 'replace': {
        if (o.path === '') {
          root = structuredClone(o.value);
          break;
        }
        const { parent, key } = resolve(o.path, op);
        if (Array.isArray(parent)) {
          const idx = Number(key);
          if (!(idx >= 0 && idx < parent.length)) throw new PatchError(`replace operation does not apply: doc is missing key: ${o.path}: missing value`, 'Invalid');
          parent[idx] = structuredClone(o.value);
        } else {
          if (!isObj(parent) || !(key in parent)) throw new PatchError(`replace operation does not apply: doc is missing key: ${o.path}: missing value`, 'Invalid');
          parent[key] = structuredClone(o.value);
        }
        break;
      }
      case 'move': {
        const v = get(o.from, op);
        remove(o.from, op);
        add(o.path, v, op);
        break;
      }
      case 'copy':
        add(o.path, structuredClone(get(o.from, op)), op);
        break;
      case 'test': {
        let v: any;
        try {
          v = get(o.path, op);
        } catch {
          v = undefined;
        }
        if (!deepEqual(v, o.value)) throw new PatchError(`testing value ${o.path} failed: test failed`, 'Invalid');
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op}`, 'Invalid');
    }
  }
  return root;
}

// ---------- strategic merge patch ----------

interface SchemaNode {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

let definitions: Record<string, SchemaNode> | undefined;
let byGvk: Map<string, string> | undefined;

function defs(): Record<string, SchemaNode> {
  if (!definitions) {
    const swagger = JSON.parse(readFileSync(path.join(k8sSpecsDir(), 'swagger.json'), 'utf8'));
    definitions = swagger.definitions as Record<string, SchemaNode>;
    byGvk = new Map();
    for (const [name, d] of Object.entries(definitions)) {
      for (const g of d['x-kubernetes-group-version-kind'] ?? []) byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return definitions;
}

/** The OpenAPI v2 definition of a kind, e.g. ('apps','v1','Deployment'). */
export function schemaFor(group: string, version: string, kind: string): SchemaNode | undefined {
  defs();
  const name = byGvk!.get(`${group}/${version}/${kind}`);
  return name ? definitions![name] : undefined;
}

function deref(n: SchemaNode | undefined): SchemaNode | undefined {
  let cur = n;
  let guard = 0;
  while (cur?.$ref && guard++ < 20) cur = defs()[cur.$ref.replace('#/definitions/', '')];
  return cur;
}

function fieldSchema(parent: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const p = deref(parent);
  if (!p) return undefined;
  if (p.properties?.[key]) return p.properties[key];
  if (p.additionalProperties) return p.additionalProperties;
  return undefined;
}

function strategyOf(field: SchemaNode | undefined): { strategies: string[]; mergeKey?: string } {
  const s = field?.['x-kubernetes-patch-strategy'];
  return { strategies: s ? s.split(',') : [], mergeKey: field?.['x-kubernetes-patch-merge-key'] };
}

const DIRECTIVE = '$patch';
const RETAIN = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to `original` (a full object) with `schema` as the kind's schema. */
export function strategicMergePatch(original: any, patch: any, schema: SchemaNode | undefined): any {
  if (!isObj(patch)) throw new PatchError('unable to find api field in struct Unstructured for the json field "$patch"', 'BadRequest');
  const res = mergeMap(structuredClone(original ?? {}), patch, schema, false);
  return res ?? {};
}

function mergeMap(orig: Record<string, any>, patch: Record<string, any>, schema: SchemaNode | undefined, retainKeysAllowed: boolean): Record<string, any> | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    const out = { ...patch };
    delete out[DIRECTIVE];
    return stripDirectives(out);
  }
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`Unknown patch type: ${directive} in map: ${JSON.stringify(patch)}`, 'BadRequest');

  if (patch[RETAIN] !== undefined) {
    if (!Array.isArray(patch[RETAIN])) throw new PatchError('invalid patch: $retainKeys must be a list', 'BadRequest');
    if (retainKeysAllowed || true) {
      const keep = new Set<string>(patch[RETAIN]);
      for (const k of Object.keys(orig)) if (!keep.has(k)) delete orig[k];
    }
  }

  // $deleteFromPrimitiveList/<field>
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_PRIMITIVE)) continue;
    const field = k.slice(DELETE_PRIMITIVE.length);
    if (Array.isArray(orig[field]) && Array.isArray(v)) {
      const del = new Set(v.map((x) => JSON.stringify(x)));
      orig[field] = orig[field].filter((x: any) => !del.has(JSON.stringify(x)));
    }
  }

  for (const [k, pv] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (pv === null) {
      delete orig[k];
      continue;
    }
    const fs = fieldSchema(schema, k);
    const ov = orig[k];
    if (isObj(pv)) {
      const { strategies } = strategyOf(fs);
      if (isObj(ov)) {
        const merged = mergeMap(ov, pv, fs, strategies.includes('retainKeys'));
        if (merged === undefined) delete orig[k];
        else orig[k] = merged;
      } else {
        const merged = mergeMap({}, pv, fs, strategies.includes('retainKeys'));
        if (merged === undefined) delete orig[k];
        else orig[k] = merged;
      }
      continue;
    }
    if (Array.isArray(pv)) {
      const { strategies, mergeKey } = strategyOf(fs);
      if (strategies.includes('merge') && Array.isArray(ov)) {
        orig[k] = mergeList(ov, pv, deref(fs)?.items ?? fs?.items, mergeKey);
      } else if (strategies.includes('merge')) {
        orig[k] = mergeList([], pv, deref(fs)?.items ?? fs?.items, mergeKey);
      } else {
        orig[k] = stripDirectives(structuredClone(pv));
      }
      continue;
    }
    orig[k] = pv;
  }

  // $setElementOrder/<field>
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (!Array.isArray(orig[field]) || !Array.isArray(order)) continue;
    const { mergeKey } = strategyOf(fieldSchema(schema, field));
    orig[field] = applyOrder(orig[field], order, mergeKey);
  }
  return orig;
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x[DIRECTIVE] !== undefined && Object.keys(x).length === 1)).map(stripDirectives);
  if (isObj(v)) {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === DIRECTIVE || k === RETAIN || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
      out[k] = stripDirectives(x);
    }
    return out;
  }
  return v;
}

function mergeList(orig: any[], patch: any[], itemSchema: SchemaNode | undefined, mergeKey: string | undefined): any[] {
  // a {$patch: replace} element replaces the whole list
  if (patch.some((x) => isObj(x) && x[DIRECTIVE] === 'replace')) {
    return stripDirectives(patch.filter((x) => !(isObj(x) && x[DIRECTIVE] === 'replace')));
  }
  const primitive = patch.every((x) => !isObj(x)) && orig.every((x) => !isObj(x));
  if (primitive || !mergeKey) {
    if (primitive) {
      const out = [...orig];
      for (const x of patch) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    return stripDirectives(patch);
  }
  // merged and new elements in the patch's order, then the elements only the server has (as the
  // apimachinery merge normalizes the order when no $setElementOrder directive is given)
  const rest = [...orig];
  const merged: any[] = [];
  for (const pItem of patch) {
    if (!isObj(pItem)) continue;
    const keyVal = pItem[mergeKey];
    if (keyVal === undefined) throw new PatchError(`map: ${JSON.stringify(pItem)} does not contain declared merge key: ${mergeKey}`, 'BadRequest');
    const idx = rest.findIndex((o) => isObj(o) && deepEqual(o[mergeKey], keyVal));
    const base = idx >= 0 ? rest.splice(idx, 1)[0] : undefined;
    if (pItem[DIRECTIVE] === 'delete') continue;
    const m = mergeMap(base ? structuredClone(base) : {}, pItem, itemSchema, false);
    if (m !== undefined) merged.push(m);
  }
  return [...merged, ...rest];
}

function applyOrder(list: any[], order: any[], mergeKey: string | undefined): any[] {
  const keyOf = (x: any) => JSON.stringify(mergeKey && isObj(x) ? x[mergeKey] : x);
  const pos = new Map<string, number>();
  order.forEach((o, i) => pos.set(keyOf(o), i));
  const inOrder = list.filter((x) => pos.has(keyOf(x))).sort((a, b) => pos.get(keyOf(a))! - pos.get(keyOf(b))!);
  const rest = list.filter((x) => !pos.has(keyOf(x)));
  return [...inOrder, ...rest];
}
