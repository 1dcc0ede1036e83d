// ConfigMap, Secret, Endpoints, Events, EndpointSlice, Lease and RBAC validation.
import { isIP } from 'node:net';
import { type FieldError, duplicate, forbidden, goQuote, invalid, notSupported, required, tooLong } from './errors';
import { deepEqual, validateImmutableField } from './meta';
import { isConfigMapKey, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortNum, nameIsPathSegment } from './names';
import { validateDNS1123Label } from './pod';

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export const MAX_SECRET_SIZE = 1024 * 1024;
const b64len = (s: unknown) => Buffer.from(str(s), 'base64').length;
const utf8len = (s: unknown) => Buffer.byteLength(str(s), 'utf8');

export function validateConfigMap(cm: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = obj(cm?.data);
  const binary = obj(cm?.binaryData);
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    if (k in binary) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += utf8len(v);
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`binaryData[${k}]`, k, m));
    total += b64len(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('[]', '', MAX_SECRET_SIZE));
  if (old?.immutable === true) {
    if (cm?.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm?.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm?.binaryData, old.binaryData)) errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function validateSecret(s: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(s?.data);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    total += b64len(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('data', '', MAX_SECRET_SIZE));
  const type = str(s?.type);
  const need = (key: string) => {
    if (!(key in data)) errs.push(required(`data[${key}]`, ''));
  };
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!str(s?.metadata?.annotations?.['kubernetes.io/service-account.name']))
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]', ''));
      break;
    case 'kubernetes.io/dockercfg':
      need('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      need('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data))
        errs.push(forbidden('data[username]', 'must contain either `username` or `password` field'));
      break;
    case 'kubernetes.io/ssh-auth':
      need('ssh-privatekey');
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
  }
  if (old) {
    errs.push(...validateImmutableField(type, str(old.type), 'type'));
    if (old.immutable === true) {
      if (s?.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
      if (!deepEqual(s?.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

const IP_ERR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateEndpointPort(p: any, requireName: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p?.name);
  if (requireName && !name) errs.push(required(`${field}.name`, ''));
  else if (name) errs.push(...validateDNS1123Label(name, `${field}.name`));
  const port = p?.port ?? 0;
  for (const m of isValidPortNum(port)) errs.push(invalid(`${field}.port`, port, m));
  const proto = str(p?.protocol);
  if (!proto) errs.push(required(`${field}.protocol`, ''));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${field}.protocol`, proto, PROTOCOLS));
  return errs;
}

/** ValidateNonSpecialIP: endpoints may not point at unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(ip: string, field: string): FieldError[] {
  const v = isIP(ip);
  if (v === 0) return [invalid(field, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const lower = ip.toLowerCase();
  const octets = v === 4 ? ip.split('.').map(Number) : [];
  const v4 = (test: (o: number[]) => boolean) => v === 4 && test(octets);
  const unspecified = v4((o) => o.every((x) => x === 0)) || (v === 6 && /^[0:]+$/.test(lower));
  const loopback = v4((o) => o[0] === 127) || (v === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(lower));
  const linkLocal = v4((o) => o[0] === 169 && o[1] === 254) || (v === 6 && /^fe[89ab]/.test(lower));
  const linkLocalMulticast = v4((o) => o[0] === 224 && o[1] === 0 && o[2] === 0) || (v === 6 && /^ff02:/.test(lower));
  if (unspecified) errs.push(invalid(field, ip, `may not be unspecified (${ip})`));
  if (loopback) errs.push(invalid(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalid(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalid(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

export function validateEndpoints(ep: any): FieldError[] {
  const errs: FieldError[] = [];
  arr(ep?.subsets).forEach((ss: any, i: number) => {
    const f = `subsets[${i}]`;
    const addrs = arr(ss?.addresses);
    const nrAddrs = arr(ss?.notReadyAddresses);
    if (addrs.length === 0 && nrAddrs.length === 0)
      errs.push(required(`${f}`, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [key, list] of [['addresses', addrs], ['notReadyAddresses', nrAddrs]] as const)
      list.forEach((a: any, j: number) => {
        const ip = str(a?.ip);
        const af = `${f}.${key}[${j}]`;
        if (isIP(ip) === 0) errs.push(invalid(`${af}.ip`, ip, IP_ERR));
        if (a?.hostname) errs.push(...validateDNS1123Label(a.hostname, `${af}.hostname`));
        if (a?.nodeName != null) for (const m of isDNS1123Subdomain(str(a.nodeName))) errs.push(invalid(`${af}.nodeName`, str(a.nodeName), m));
        errs.push(...validateNonSpecialIP(ip, `${af}.ip`));
      });
    const ports = arr(ss?.ports);
    ports.forEach((p: any, j: number) => errs.push(...validateEndpointPort(p, ports.length > 1, `${f}.ports[${j}]`)));
  });
  return errs;
}

/** core/v1 Event: legacy validation only (the name is not validated). */
export function validateCoreEvent(ev: any): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(ev?.metadata?.namespace);
  const invNs = str(ev?.involvedObject?.namespace);
  if (!ev?.eventTime) {
    if (!invNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
    } else if (ns !== invNs) errs.push(invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
  } else {
    if (!invNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
    const rc = str(ev?.reportingComponent);
    if (!rc) errs.push(required('source', ''));
    for (const m of isQualifiedName(rc)) errs.push(invalid('source', rc, m));
    if (!str(ev?.reportingInstance)) errs.push(required('reportingInstance', ''));
    if (!str(ev?.action)) errs.push(required('action', ''));
    if (!str(ev?.reason)) errs.push(required('reason', ''));
    if (str(ev?.message).length > 1024) errs.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, m));
  return errs;
}

/** events.k8s.io/v1 Event: legacy plus strict validation (field names are the internal ones). */
export function validateEventsV1Event(ev: any): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(ev?.metadata?.namespace);
  const regNs = str(ev?.regarding?.namespace);
  if (ev?.eventTime) {
    if (!regNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', regNs, 'does not match event.namespace'));
  } else {
    errs.push(required('eventTime', ''));
  }
  if (ev?.type !== 'Normal' && ev?.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${str(ev?.type)}`));
  const rc = str(ev?.reportingController);
  if (!rc) errs.push(required('reportingController', ''));
  for (const m of isQualifiedName(rc)) errs.push(invalid('reportingController', rc, m));
  const ri = str(ev?.reportingInstance);
  if (!ri) errs.push(required('reportingInstance', ''));
  if (ri.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
  if (!str(ev?.action)) errs.push(required('action', ''));
  if (str(ev?.action).length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
  if (!str(ev?.reason)) errs.push(required('reason', ''));
  if (str(ev?.reason).length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
  if (str(ev?.note).length > 1024) errs.push(invalid('note', '', 'can have at most 1024 characters'));
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, m));
  return errs;
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(es: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  const at = str(es?.addressType);
  if (!at) errs.push(required('addressType', ''));
  else if (!ADDRESS_TYPES.includes(at)) errs.push(notSupported('addressType', at, ['FQDN', 'IPv4', 'IPv6']));
  arr(es?.endpoints).forEach((e: any, i: number) => {
    const f = `endpoints[${i}]`;
    const addrs = arr(e?.addresses);
    if (addrs.length === 0) errs.push(required(`${f}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push({ type: 'FieldValueTooMany', field: `${f}.addresses`, badValue: addrs.length, detail: 'must have at most 100 items' });
    addrs.forEach((a: string, j: number) => {
      if ((at === 'IPv4' && isIP(a) !== 4) || (at === 'IPv6' && isIP(a) !== 6))
        errs.push(invalid(`${f}.addresses[${j}]`, a, `must be a valid ${at} address`));
    });
  });
  const names = new Set<string>();
  arr(es?.ports).forEach((p: any, i: number) => {
    const f = `ports[${i}]`;
    const name = str(p?.name);
    if (name) errs.push(...validateDNS1123Label(name, `${f}.name`));
    if (names.has(name)) errs.push(duplicate(`${f}.name`, name));
    names.add(name);
    const proto = str(p?.protocol);
    if (!proto) errs.push(required(`${f}.protocol`, ''));
    else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${f}.protocol`, proto, PROTOCOLS));
    if (p?.port != null) for (const m of isValidPortNum(p.port)) errs.push(invalid(`${f}.port`, p.port, m));
  });
  if (old) errs.push(...validateImmutableField(at, str(old.addressType), 'addressType'));
  return errs;
}

export function validateLease(lease: any): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease?.spec ?? {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0)
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

// ---- RBAC ----

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: any, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(rule?.verbs).length === 0) errs.push(required(`${field}.verbs`, 'verbs must contain at least one value'));
  const urls = arr(rule?.nonResourceURLs);
  if (urls.length > 0) {
    const gv = `[]string{${urls.map((u) => goQuote(String(u))).join(', ')}}`;
    if (namespaced) errs.push(invalid(`${field}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs', gv));
    if (arr(rule?.apiGroups).length || arr(rule?.resources).length || arr(rule?.resourceNames).length)
      errs.push(invalid(`${field}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs', gv));
    return errs;
  }
  if (arr(rule?.apiGroups).length === 0) errs.push(required(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if (arr(rule?.resources).length === 0) errs.push(required(`${field}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRole(role: any, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  arr(role?.rules).forEach((r, i) => errs.push(...validatePolicyRule(r, namespaced, `rules[${i}]`)));
  return errs;
}

function validateSubject(s: any, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s?.name);
  if (!name) errs.push(required(`${field}.name`, ''));
  switch (s?.kind) {
    case 'ServiceAccount':
      if (name) for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${field}.name`, name, m));
      if (str(s?.apiGroup)) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !str(s?.namespace)) errs.push(required(`${field}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (s?.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${field}.apiGroup`, str(s?.apiGroup), [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${field}.kind`, str(s?.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

const goRoleRef = (r: any) => `rbac.RoleRef{APIGroup:${goQuote(str(r?.apiGroup))}, Kind:${goQuote(str(r?.kind))}, Name:${goQuote(str(r?.name))}}`;

export function validateBinding(b: any, namespaced: boolean, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b?.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', str(ref.apiGroup), [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) errs.push(required('roleRef.name', ''));
  else for (const m of nameIsPathSegment(name, false)) errs.push(invalid('roleRef.name', name, m));
  arr(b?.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  if (old && !deepEqual(ref, old.roleRef ?? {})) errs.push(invalid('roleRef', ref, 'cannot change roleRef', goRoleRef(ref)));
  return errs;
}

// ---- Node ----

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(node: any): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(node?.spec?.taints).forEach((t: any, i: number) => {
    const f = `spec.taints[${i}]`;
    const key = str(t?.key);
    for (const m of isQualifiedName(key)) errs.push(invalid(`${f}.key`, key, m));
    const msgs = isValidLabelValue(str(t?.value));
    if (msgs.length) errs.push(invalid(`${f}.value`, str(t?.value), msgs.join(';')));
    const effect = str(t?.effect);
    if (!effect) errs.push(required(`${f}.effect`, ''));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${f}.effect`, effect, TAINT_EFFECTS));
    const k = `${effect}\u0000${key}`;
    if (seen.has(k)) {
      const added = t?.timeAdded == null ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000000000)';
      errs.push({
        type: 'FieldValueDuplicate',
        field: f,
        badValue: t,
        goValue: `core.Taint{Key:${goQuote(key)}, Value:${goQuote(str(t?.value))}, Effect:${goQuote(effect)}, TimeAdded:${added}}`,
        detail: 'taints must be unique by key and effect pair',
      });
    }
    seen.add(k);
  });
  return errs;
}
