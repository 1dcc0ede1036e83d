// Pod and PodTemplate validation (pkg/apis/core/validation/validation.go, v1.28).
import {
  type FieldError,
  duplicate,
  forbidden,
  goQuote,
  invalid,
  notFound,
  notSupported,
  required,
} from './errors';
import { validateLabelName, validateLabels } from './meta';
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from './names';
import { parseQuantity } from './quantity';

const isStr = (v: unknown): v is string => typeof v === 'string';
const str = (v: unknown): string => (isStr(v) ? v : '');
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export function validateDNS1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(field, value, m));
}

// ---- quantities ----

/** Quantity.String() for the common canonical inputs; other forms are re-rendered in their value. */
export function canonicalQuantity(q: unknown): string {
  const s = typeof q === 'number' ? String(q) : str(q).trim();
  if (/^[1-9][0-9]*(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.test(s) || s === '0') return s;
  const r = parseQuantity(s);
  if (!('value' in r)) return s;
  const v = r.value;
  if (Number.isInteger(v)) return String(v);
  const milli = Math.round(v * 1000);
  return `${milli}m`;
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const isHugePages = (n: string) => n.startsWith('hugepages-');
const isNativeResource = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');

// core.ResourceName is a fmt.Stringer, so its bad value prints without quotes.
function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m, name));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name))
      errs.push(invalid(field, name, 'must be a standard resource type or fully qualified', name));
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name))
      errs.push(invalid(field, name, 'must be a standard resource for containers', name));
  } else if (!isNativeResource(name)) {
    const extended = !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
    if (!extended) errs.push(invalid(field, name, "doesn't follow extended resource name standard", name));
  }
  return errs;
}

function validateResourceQuantityValue(q: unknown, field: string): FieldError[] {
  const r = parseQuantity(typeof q === 'number' ? String(q) : str(q).trim());
  if ('value' in r && r.value < 0) return [invalid(field, canonicalQuantity(q), 'must be greater than or equal to 0')];
  return [];
}

export function validateResourceRequirements(res: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = res?.limits && typeof res.limits === 'object' ? (res.limits as Record<string, unknown>) : {};
  const requests = res?.requests && typeof res.requests === 'object' ? (res.requests as Record<string, unknown>) : {};
  for (const [name, q] of Object.entries(limits)) {
    const f = `${field}.limits[${name}]`;
    errs.push(...validateContainerResourceName(name, f));
    errs.push(...validateResourceQuantityValue(q, f));
  }
  for (const [name, q] of Object.entries(requests)) {
    const f = `${field}.requests[${name}]`;
    errs.push(...validateContainerResourceName(name, f));
    errs.push(...validateResourceQuantityValue(q, f));
    if (name in limits) {
      const rv = parseQuantity(canonicalQuantity(q));
      const lv = parseQuantity(canonicalQuantity(limits[name]));
      if ('value' in rv && 'value' in lv && rv.value > lv.value)
        errs.push(
          invalid(`${field}.requests`, canonicalQuantity(q), `must be less than or equal to ${name} limit of ${canonicalQuantity(limits[name])}`),
        );
    }
  }
  return errs;
}

// ---- containers ----

const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((p: any, i) => {
    const f = `${field}[${i}]`;
    const name = str(p?.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(`${f}.name`, name, m));
      else if (names.has(name)) errs.push(duplicate(`${f}.name`, name));
      else names.add(name);
    }
    const cp = p?.containerPort ?? 0;
    if (cp === 0) errs.push(required(`${f}.containerPort`, ''));
    else for (const m of isValidPortNum(cp)) errs.push(invalid(`${f}.containerPort`, cp, m));
    const hp = p?.hostPort ?? 0;
    if (hp !== 0) for (const m of isValidPortNum(hp)) errs.push(invalid(`${f}.hostPort`, hp, m));
    const proto = str(p?.protocol);
    if (!proto) errs.push(required(`${f}.protocol`, ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(proto)) errs.push(notSupported(`${f}.protocol`, proto, SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.podIP',
  'status.podIPs',
];

function validateObjectFieldSelector(fs: any, expressions: string[], field: string): FieldError[] {
  if (!str(fs?.apiVersion)) return [required(`${field}.apiVersion`, '')];
  const fp = str(fs?.fieldPath);
  if (!fp) return [required(`${field}.fieldPath`, '')];
  if (fs.apiVersion !== 'v1') return [invalid(`${field}.fieldPath`, fp, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  const m = /^(metadata\.(annotations|labels))\['(.*)'\]$/.exec(fp);
  if (m) {
    if (m[2] === 'annotations') return isQualifiedName(m[3].toLowerCase()).map((msg) => invalid(field, m[3], msg));
    return isQualifiedName(m[3]).map((msg) => invalid(field, m[3], msg));
  }
  if (fp.includes('[')) return [invalid(field, fp.slice(0, fp.indexOf('[')), 'does not support subscript')];
  if (!expressions.includes(fp)) return [notSupported(`${field}.fieldPath`, fp, expressions)];
  return [];
}

function validateKeySelector(sel: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sel?.name);
  for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${field}.name`, name, m));
  const key = str(sel?.key);
  if (!key) errs.push(required(`${field}.key`, ''));
  else for (const m of isConfigMapKey(key)) errs.push(invalid(`${field}.key`, key, m));
  return errs;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((ev: any, i) => {
    const f = `${field}[${i}]`;
    const name = str(ev?.name);
    if (!name) errs.push(required(`${f}.name`, ''));
    else for (const m of isEnvVarName(name)) errs.push(invalid(`${f}.name`, name, m));
    const vf = ev?.valueFrom;
    if (vf == null) return;
    const vff = `${f}.valueFrom`;
    let n = 0;
    if (vf.fieldRef != null) {
      n++;
      errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, `${vff}.fieldRef`));
    }
    if (vf.resourceFieldRef != null) {
      n++;
      if (!str(vf.resourceFieldRef.resource)) errs.push(required(`${vff}.resourceFieldRef.resource`, ''));
    }
    if (vf.configMapKeyRef != null) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, `${vff}.configMapKeyRef`));
    }
    if (vf.secretKeyRef != null) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef, `${vff}.secretKeyRef`));
    }
    if (n === 0) errs.push(invalid(vff, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(invalid(vff, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(invalid(vff, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(envFrom).forEach((ef: any, i) => {
    const f = `${field}[${i}]`;
    const prefix = str(ef?.prefix);
    if (prefix) for (const m of isEnvVarName(prefix)) errs.push(invalid(`${f}.prefix`, prefix, m));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      if (ef?.[k] == null) continue;
      n++;
      const name = str(ef[k].name);
      if (!name) errs.push(required(`${f}.${k}.name`, ''));
      else for (const m of nameIsDNSSubdomain(name, true)) errs.push(invalid(`${f}.${k}.name`, name, m));
    }
    // The real code reports these on the list's path, not the item's.
    if (n === 0) errs.push(invalid(field, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(field, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

// ---- probes and lifecycle handlers ----

const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(field, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(field, port, m));
  return isValidPortNum(0).map((m) => invalid(field, 0, m));
}

function validateHandler(h: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of ['exec', 'httpGet', 'tcpSocket', 'grpc']) {
    const v = h?.[k];
    if (v == null) continue;
    if (n > 0) {
      errs.push(forbidden(`${field}.${k}`, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const f = `${field}.${k}`;
    if (k === 'exec' && arr(v.command).length === 0) errs.push(required(`${f}.command`, ''));
    if (k === 'httpGet') {
      if (!str(v.path)) errs.push(required(`${f}.path`, ''));
      errs.push(...validatePortNumOrName(v.port, `${f}.port`));
      if (!HTTP_SCHEMES.includes(str(v.scheme))) errs.push(notSupported(`${f}.scheme`, str(v.scheme), HTTP_SCHEMES));
    }
    if (k === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, `${f}.port`));
    if (k === 'grpc') errs.push(...validatePortNumOrName(typeof v.port === 'number' ? v.port : 0, `${f}.port`));
  }
  if (n === 0) errs.push(required(field, 'must specify a handler type'));
  return errs;
}

function validateProbe(p: any, field: string): FieldError[] {
  if (p == null) return [];
  const errs = validateHandler(p, field);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    if (typeof p[k] === 'number' && p[k] < 0) errs.push(invalid(`${field}.${k}`, p[k], 'must be greater than or equal to 0'));
  if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0)
    errs.push(invalid(`${field}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  return errs;
}

function validateContainerProbesAndLifecycle(c: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (c?.lifecycle != null) {
    if (c.lifecycle.postStart != null) errs.push(...validateHandler(c.lifecycle.postStart, `${field}.lifecycle.postStart`));
    if (c.lifecycle.preStop != null) errs.push(...validateHandler(c.lifecycle.preStop, `${field}.lifecycle.preStop`));
  }
  const lp = c?.livenessProbe;
  errs.push(...validateProbe(lp, `${field}.livenessProbe`));
  if (lp != null && lp.successThreshold !== 1) errs.push(invalid(`${field}.livenessProbe.successThreshold`, lp.successThreshold ?? 0, 'must be 1'));
  const rp = c?.readinessProbe;
  errs.push(...validateProbe(rp, `${field}.readinessProbe`));
  if (rp?.terminationGracePeriodSeconds != null)
    errs.push(invalid(`${field}.readinessProbe.terminationGracePeriodSeconds`, rp.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  const sp = c?.startupProbe;
  errs.push(...validateProbe(sp, `${field}.startupProbe`));
  if (sp != null && sp.successThreshold !== 1) errs.push(invalid(`${field}.startupProbe.successThreshold`, sp.successThreshold ?? 0, 'must be 1'));
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountpoints = new Set<string>();
  arr(mounts).forEach((m: any, i) => {
    const f = `${field}[${i}]`;
    const name = str(m?.name);
    if (!name) errs.push(required(`${f}.name`, ''));
    if (!volumes.has(name)) errs.push(notFound(`${f}.name`, name));
    const mp = str(m?.mountPath);
    if (!mp) errs.push(required(`${f}.mountPath`, ''));
    if (mountpoints.has(mp)) errs.push(invalid(`${f}.mountPath`, mp, 'must be unique'));
    mountpoints.add(mp);
    const sub = str(m?.subPath);
    if (sub) errs.push(...validateLocalDescendingPath(sub, `${field}.subPath`));
  });
  return errs;
}

function validateLocalDescendingPath(p: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalid(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalid(field, p, "must not contain '..'"));
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function validateContainer(c: any, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c?.name);
  if (!name) errs.push(required(`${field}.name`, ''));
  else errs.push(...validateDNS1123Label(name, `${field}.name`));
  if (!str(c?.image)) errs.push(required(`${field}.image`, ''));
  const tmp = str(c?.terminationMessagePolicy);
  if (tmp === '') errs.push(required(`${field}.terminationMessagePolicy`, ''));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(`${field}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c?.ports, `${field}.ports`));
  errs.push(...validateEnv(c?.env, `${field}.env`));
  errs.push(...validateEnvFrom(c?.envFrom, `${field}.envFrom`));
  errs.push(...validateVolumeMounts(c?.volumeMounts, volumes, `${field}.volumeMounts`));
  const pp = str(c?.imagePullPolicy);
  if (pp === '') errs.push(required(`${field}.imagePullPolicy`, ''));
  else if (!PULL_POLICIES.includes(pp)) errs.push(notSupported(`${field}.imagePullPolicy`, pp, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c?.resources, `${field}.resources`));
  return errs;
}

function validateContainers(containers: unknown, volumes: Set<string>, field: string): FieldError[] {
  const list = arr(containers);
  if (list.length === 0) return [required(field, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c: any, i) => {
    const f = `${field}[${i}]`;
    errs.push(...validateContainer(c, volumes, f));
    const name = str(c?.name);
    if (names.has(name)) errs.push(duplicate(`${f}.name`, name));
    else names.add(name);
    errs.push(...validateContainerProbesAndLifecycle(c, f));
    if (c?.restartPolicy != null) errs.push(forbidden(`${f}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return errs;
}

function validateInitContainers(inits: unknown, containers: unknown, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(arr(containers).map((c: any) => str(c?.name)));
  arr(inits).forEach((c: any, i) => {
    const f = `${field}[${i}]`;
    errs.push(...validateContainer(c, volumes, f));
    const name = str(c?.name);
    if (names.has(name)) errs.push(duplicate(`${f}.name`, name));
    else if (name) names.add(name);
    if (c?.restartPolicy === 'Always') errs.push(...validateContainerProbesAndLifecycle(c, f));
    else {
      if (c?.restartPolicy != null) errs.push(notSupported(`${f}.restartPolicy`, c.restartPolicy, ['Always']));
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (c?.[k] != null) errs.push(forbidden(`${f}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  return errs;
}

// ---- volumes ----

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral',
];

const FILE_MODE_ERR = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, field: string): FieldError[] {
  if (typeof mode !== 'number') return [];
  if (mode > 0o777 || mode < 0) return [invalid(field, mode, FILE_MODE_ERR)];
  return [];
}

function validateKeyToPaths(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((kp: any, i) => {
    const f = `${field}[${i}]`;
    if (!str(kp?.key)) errs.push(required(`${f}.key`, ''));
    const p = str(kp?.path);
    if (!p) errs.push(required(`${f}.path`, ''));
    errs.push(...validateLocalNonReservedPath(p, `${f}.path`));
    errs.push(...validateMode(kp?.mode, `${f}.mode`));
  });
  return errs;
}

function validateLocalNonReservedPath(p: string, field: string): FieldError[] {
  const errs = validateLocalDescendingPath(p, field);
  if (p.startsWith('..')) errs.push(invalid(field, p, "must not start with '..'"));
  return errs;
}

function validateVolumeSource(v: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of VOLUME_SOURCES) {
    if (v?.[k] == null) continue;
    if (n > 0) {
      errs.push(forbidden(`${field}.${k}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const s = v[k];
    const f = `${field}.${k}`;
    switch (k) {
      case 'configMap':
        if (!str(s.name)) errs.push(required(`${f}.name`, ''));
        errs.push(...validateMode(s.defaultMode, `${f}.defaultMode`));
        errs.push(...validateKeyToPaths(s.items, `${f}.items`));
        break;
      case 'secret':
        if (!str(s.secretName)) errs.push(required(`${f}.secretName`, ''));
        errs.push(...validateMode(s.defaultMode, `${f}.defaultMode`));
        errs.push(...validateKeyToPaths(s.items, `${f}.items`));
        break;
      case 'persistentVolumeClaim':
        if (!str(s.claimName)) errs.push(required(`${f}.claimName`, ''));
        break;
      case 'hostPath':
        if (!str(s.path)) errs.push(required(`${f}.path`, ''));
        break;
      case 'projected':
        errs.push(...validateMode(s.defaultMode, `${f}.defaultMode`));
        break;
      case 'downwardAPI':
        errs.push(...validateMode(s.defaultMode, `${f}.defaultMode`));
        break;
    }
  }
  if (n === 0) errs.push(required(field, 'must specify a volume type'));
  return errs;
}

function validateVolumes(volumes: unknown, field: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  arr(volumes).forEach((v: any, i) => {
    const f = `${field}[${i}]`;
    const el = validateVolumeSource(v, f);
    const name = str(v?.name);
    if (!name) el.push(required(`${f}.name`, ''));
    else el.push(...validateDNS1123Label(name, `${f}.name`));
    if (names.has(name)) el.push(duplicate(`${f}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

// ---- scheduling ----

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function goToleration(t: any): string {
  const secs = t?.tolerationSeconds == null ? '(*int64)(nil)' : '(*int64)(0xc000000000)';
  return `core.Toleration{Key:${goQuote(str(t?.key))}, Operator:${goQuote(str(t?.operator))}, Value:${goQuote(str(t?.value))}, Effect:${goQuote(
    str(t?.effect),
  )}, TolerationSeconds:${secs}}`;
}

export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t: any, i) => {
    const f = `${field}[${i}]`;
    const key = str(t?.key);
    const op = str(t?.operator);
    const effect = str(t?.effect);
    if (key) errs.push(...validateLabelName(key, `${f}.key`));
    if (!key && op !== 'Exists')
      errs.push(invalid(`${f}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t?.tolerationSeconds != null && effect !== 'NoExecute')
      errs.push(invalid(`${f}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t?.value));
      if (msgs.length) errs.push(invalid(`${f}.operator`, str(t?.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t?.value)) errs.push(invalid(`${f}.operator`, t, "value must be empty when `operator` is 'Exists'", goToleration(t)));
    } else errs.push(notSupported(`${f}.operator`, op, ['Equal', 'Exists']));
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${f}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateNodeSelectorRequirement(r: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(r?.operator);
  const values = arr(r?.values);
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(`${field}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(`${field}.operator`, op, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(r?.key), `${field}.key`));
  return errs;
}

export function validateLabelSelectorRequirement(r: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(r?.operator);
  const values = arr(r?.values);
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(`${field}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(invalid(`${field}.operator`, op, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(r?.key), `${field}.key`));
  for (const [j, v] of values.entries())
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(`${field}.values[${j}]`, String(v), m));
  return errs;
}

function validateNodeSelectorTerm(term: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(term?.matchExpressions).forEach((r, j) => errs.push(...validateNodeSelectorRequirement(r, `${field}.matchExpressions[${j}]`)));
  return errs;
}

function validatePodAffinityTerm(term: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(term?.labelSelector?.matchExpressions).forEach((r, j) =>
    errs.push(...validateLabelSelectorRequirement(r, `${field}.labelSelector.matchExpressions[${j}]`)),
  );
  const tk = str(term?.topologyKey);
  if (!tk) errs.push(required(`${field}.topologyKey`, 'can not be empty'));
  else errs.push(...validateLabelName(tk, `${field}.topologyKey`));
  return errs;
}

function validateAffinity(aff: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!aff) return errs;
  const na = aff.nodeAffinity;
  if (na) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) {
      const f = `${field}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
      const terms = arr(req.nodeSelectorTerms);
      if (terms.length === 0) errs.push(required(`${f}.nodeSelectorTerms`, 'must have at least one node selector term'));
      terms.forEach((t, j) => errs.push(...validateNodeSelectorTerm(t, `${f}.nodeSelectorTerms[${j}]`)));
    }
    arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((p: any, j) => {
      const f = `${field}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${j}]`;
      if (!(p?.weight >= 1 && p?.weight <= 100)) errs.push(invalid(`${f}.weight`, p?.weight ?? 0, inclusiveRangeError(1, 100)));
      errs.push(...validateNodeSelectorTerm(p?.preference, `${f}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = aff[kind];
    if (!pa) continue;
    arr(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, j) =>
      errs.push(...validatePodAffinityTerm(t, `${field}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${j}]`)),
    );
    arr(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((w: any, j) => {
      const f = `${field}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${j}]`;
      if (!(w?.weight > 0 && w?.weight <= 100)) errs.push(invalid(`${f}.weight`, w?.weight ?? 0, 'must be in the range 1-100'));
      errs.push(...validatePodAffinityTerm(w?.podAffinityTerm, `${f}.podAffinityTerm`));
    });
  }
  return errs;
}

// ---- pod spec ----

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

export function validatePodSpec(spec: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  spec = spec ?? {};
  const { names: vols, errs: volErrs } = validateVolumes(spec.volumes, `${field}.volumes`);
  errs.push(...volErrs);
  errs.push(...validateContainers(spec.containers, vols, `${field}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, vols, `${field}.initContainers`));
  const rp = str(spec.restartPolicy);
  if (rp === '') errs.push(required(`${field}.restartPolicy`, ''));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(notSupported(`${field}.restartPolicy`, rp, RESTART_POLICIES));
  const dp = str(spec.dnsPolicy);
  if (dp === '') errs.push(required(`${field}.dnsPolicy`, ''));
  else if (!DNS_POLICIES.includes(dp)) errs.push(notSupported(`${field}.dnsPolicy`, dp, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  arr(spec.imagePullSecrets).forEach((s: any, i) => {
    if (!str(s?.name)) errs.push(required(`${field}.imagePullSecrets[${i}].name`, ''));
  });
  errs.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  const sa = str(spec.serviceAccountName);
  if (sa) for (const m of isDNS1123Subdomain(sa)) errs.push(invalid(`${field}.serviceAccountName`, sa, m));
  const nn = str(spec.nodeName);
  if (nn) for (const m of isDNS1123Subdomain(nn)) errs.push(invalid(`${field}.nodeName`, nn, m));
  if (typeof spec.activeDeadlineSeconds === 'number') {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > 2147483647) errs.push(invalid(`${field}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 2147483647)));
  }
  if (str(spec.hostname)) errs.push(...validateDNS1123Label(spec.hostname, `${field}.hostname`));
  if (str(spec.subdomain)) errs.push(...validateDNS1123Label(spec.subdomain, `${field}.subdomain`));
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  if (spec.preemptionPolicy != null && !['PreemptLowerPriority', 'Never'].includes(spec.preemptionPolicy))
    errs.push(notSupported(`${field}.preemptionPolicy`, spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0)
    errs.push(invalid(`${field}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  return errs;
}

/** Pod spec update: only a few fields may change (image, activeDeadlineSeconds, tolerations additions...). */
export function validatePodSpecUpdate(spec: any, old: any, field: string): FieldError[] {
  const strip = (s: any) => {
    const c = JSON.parse(JSON.stringify(s ?? {}));
    for (const ctr of [...arr(c.containers), ...arr(c.initContainers)]) delete ctr.image;
    delete c.activeDeadlineSeconds;
    delete c.tolerations;
    delete c.terminationGracePeriodSeconds;
    delete c.schedulingGates;
    return JSON.stringify(sortKeys(c));
  };
  if (strip(spec) !== strip(old))
    return [
      forbidden(
        field,
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    ];
  const errs: FieldError[] = [];
  arr(spec?.containers).forEach((c: any, i) => {
    if (!str(c?.image)) errs.push(required(`${field}.containers[${i}].image`, ''));
  });
  return errs;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
