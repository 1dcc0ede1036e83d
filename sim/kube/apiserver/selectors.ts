// Label and field selectors as kube-apiserver parses and applies them.
import type { ResourceType } from '../resources';

import type { Entry, LabelIndexHint } from '../store';

/** A selector, applied to a stored entry: its selection view, or its JSON for what the view lacks. */
export type Predicate = (e: Entry) => boolean;

/** A label selector: its predicate, and an equality requirement the label index can answer. */
export interface LabelSelector {
  match: Predicate;
  index?: LabelIndexHint;
}

export class SelectorError extends Error {}

interface LabelReq {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
  values: string[];
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(sel: string | undefined | null): LabelSelector | undefined {
  if (!sel || !sel.trim()) return undefined;
  const reqs: LabelReq[] = [];
  for (const raw of splitTop(sel)) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '' || true) });
    } else if ((m = part.match(/^!\s*([^\s!=(),]+)$/))) {
      reqs.push({ key: m[1], op: '!', values: [] });
    } else if ((m = part.match(/^([^\s!=(),]+)\s*(==|!=|=)\s*([^\s!=(),]*)$/))) {
      reqs.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    } else if ((m = part.match(/^([^\s!=(),]+)$/))) {
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw new SelectorError(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  const eq = reqs.find((r) => r.op === '=' || r.op === 'in');
  return { match: (e) => matchLabelReqs(reqs, e.sel.metadata.labels ?? {}), index: eq && { key: eq.key, values: eq.values } };
}

function matchLabelReqs(reqs: LabelReq[], labels: Record<string, string>): boolean {
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case '=':
        if (!has || v !== r.values[0]) return false;
        break;
      case '!=':
        if (has && v === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
    }
  }
  return true;
}

/** Fields each kind supports besides metadata.name/metadata.namespace, and how to read them. */
const FIELD_GETTERS: Record<string, Record<string, (o: any) => string | undefined>> = {
  '/pods': {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.podIPs': (o) => o.status?.podIPs?.[0]?.ip ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  '/events': {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component || o.reportingComponent || '',
    type: (o) => o.type ?? '',
  },
  '/secrets': { type: (o) => o.type ?? '' },
  '/namespaces': { 'status.phase': (o) => o.status?.phase ?? '' },
  '/nodes': { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  'apps/replicasets': { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

const FIELD_SEP = '\u0001';
/** Resources whose uid the API server reads from the selection view (token liveness, TokenRequest). */
const UID_IN_VIEW = new Set(['/pods', '/serviceaccounts']);
/**
 * Resources whose selectable fields are read from the JSON when a field selector asks, instead of
 * kept beside every object: events have eleven fields and outnumber pods five to one.
 */
const FIELDS_ON_DEMAND = new Set(['/events']);

function packFields(getters: Record<string, (o: any) => string | undefined>, obj: any): string {
  return Object.values(getters)
    .map((get) => get(obj) ?? '')
    .join(FIELD_SEP);
}

/**
 * What the store keeps beside an object's JSON for selectors (the Store's projection): the uid of
 * pods and ServiceAccounts, and the selectable field values in the order of FIELD_GETTERS, joined
 * by U+0001 (fieldValue reads them back).
 */
export function selectionOf(resource: string, obj: any): { uid?: string; fields?: string } | undefined {
  const getters = FIELD_GETTERS[resource];
  const uid = UID_IN_VIEW.has(resource) ? obj.metadata?.uid : undefined;
  const fields = getters && !FIELDS_ON_DEMAND.has(resource) ? packFields(getters, obj) : undefined;
  return uid === undefined && fields === undefined ? undefined : { uid, fields };
}

/** The selectable field values of a stored object of `resource` (parsed from its JSON when not kept). */
function fieldValues(resource: string, e: Entry): string[] {
  return (e.sel.fields ?? packFields(FIELD_GETTERS[resource], JSON.parse(e.json))).split(FIELD_SEP);
}

export function storeKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group}/${rt.plural}`;
}

/** Parses a fieldSelector for a resource; throws SelectorError with the server's wording. */
export function parseFieldSelector(rt: ResourceType, sel: string | undefined | null, labelSel?: string): Predicate | undefined {
  if (!sel || !sel.trim()) return undefined;
  const getters = FIELD_GETTERS[storeKey(rt)];
  const reqs: { get: (e: Entry, values: () => string[]) => string | undefined; neg: boolean; value: string }[] = [];
  for (const raw of sel.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = part.match(/^([^=!]+)(==|!=|=)(.*)$/);
    if (!m) throw new SelectorError(`invalid selector: '${sel}'; can't understand '${part}'`);
    const field = m[1].trim();
    const value = m[3].trim();
    let get: ((e: Entry, values: () => string[]) => string | undefined) | undefined;
    if (field === 'metadata.name') get = (e) => e.sel.metadata.name;
    else if (field === 'metadata.namespace') get = (e) => e.sel.metadata.namespace ?? '';
    else if (getters?.[field]) {
      const i = Object.keys(getters).indexOf(field);
      get = (_e, values) => values()[i];
    }
    if (!get) {
      const res = `${rt.group ? rt.group + '/' : '/'}${rt.version}, Resource=${rt.plural}`;
      const detail = getters ? `field label not supported: ${field}` : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
      throw new SelectorError(`Unable to find "${res}" that match label selector "${labelSel ?? ''}", field selector "${sel}": ${detail}`);
    }
    reqs.push({ get, neg: m[2] === '!=', value });
  }
  const resource = storeKey(rt);
  return (e) => {
    let values: string[] | undefined;
    const lazy = () => (values ??= fieldValues(resource, e));
    return reqs.every((r) => (r.get(e, lazy) === r.value) !== r.neg);
  };
}

/** Matches a metav1.LabelSelector object (matchLabels, matchExpressions). */
export function matchLabelSelectorObject(sel: any, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = k(l, e.key);
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
  function k(o: Record<string, string>, key: string) {
    return Object.prototype.hasOwnProperty.call(o, key);
  }
}
