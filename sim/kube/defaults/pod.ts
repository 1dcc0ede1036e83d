// Pod and PodTemplate defaulting (pkg/apis/core/v1/defaults.go) and the mutating admission plugins
// a v1.28 server runs on pods: ServiceAccount, Priority and DefaultTolerationSeconds.
import { randomInt } from 'node:crypto';
import { canonicalizeQuantities, quantityValue } from '../validation/quantity';

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The pull policy SetDefaults_Container picks: Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const [beforeDigest, digest] = image.split('@');
  const lastSlash = beforeDigest.lastIndexOf('/');
  const lastColon = beforeDigest.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const repo = hasTag ? beforeDigest.slice(0, lastColon) : beforeDigest;
  const tag = hasTag ? beforeDigest.slice(lastColon + 1) : '';
  // ParseNormalizedNamed fails on an upper-case path (the domain may have capitals): no tag is found.
  const firstSlash = repo.indexOf('/');
  const first = firstSlash >= 0 ? repo.slice(0, firstSlash) : '';
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasDomain ? repo.slice(firstSlash + 1) : repo;
  if (!image || /[A-Z]/.test(path)) return 'IfNotPresent';
  if (tag === 'latest' || (tag === '' && digest === undefined)) return 'Always';
  return 'IfNotPresent';
}

function defaultHandler(h: any): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    if (!h.httpGet.path) h.httpGet.path = '/';
    if (!h.httpGet.scheme) h.httpGet.scheme = 'HTTP';
  }
}

function defaultProbe(p: any): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
  if (isObj(p.grpc) && p.grpc.service === undefined) p.grpc.service = '';
}

function defaultFieldRef(ref: any): void {
  if (isObj(ref) && !ref.apiVersion) ref.apiVersion = 'v1';
}

function defaultContainer(c: any, hostNetwork: boolean): void {
  if (!isObj(c)) return;
  for (const p of arr(c.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (hostNetwork && !p.hostPort) p.hostPort = p.containerPort;
  }
  for (const e of arr(c.env)) if (isObj(e?.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  if (!isObj(c.resources)) c.resources = {};
  // resource.Quantity serializes in canonical form ("1.0" -> "1", "1000m" -> "1", "0.5" -> "500m")
  canonicalizeQuantities(c.resources.requests);
  canonicalizeQuantities(c.resources.limits);
  // Go's omitempty on plain bools: false is not written
  for (const k of ['stdin', 'stdinOnce', 'tty']) if (c[k] === false) delete c[k];
  for (const m of arr(c.volumeMounts)) if (isObj(m) && m.readOnly === false) delete m.readOnly;
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCE_KEYS = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral',
];

function defaultVolume(v: any): void {
  if (!isObj(v)) return;
  if (!VOLUME_SOURCE_KEYS.some((k) => v[k] != null)) v.emptyDir = {};
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit != null) canonicalizeQuantities(v.emptyDir);
  if (isObj(v.persistentVolumeClaim) && v.persistentVolumeClaim.readOnly === false) delete v.persistentVolumeClaim.readOnly;
  if (isObj(v.secret)) v.secret.defaultMode ??= 420;
  if (isObj(v.configMap)) v.configMap.defaultMode ??= 420;
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  if (isObj(v.downwardAPI)) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of arr(v.downwardAPI.items)) defaultFieldRef(item?.fieldRef);
  }
  if (isObj(v.projected)) {
    v.projected.defaultMode ??= 420;
    for (const s of arr(v.projected.sources)) {
      if (isObj(s?.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3600;
      if (isObj(s?.downwardAPI)) for (const item of arr(s.downwardAPI.items)) defaultFieldRef(item?.fieldRef);
    }
  }
  if (isObj(v.iscsi)) {
    v.iscsi.iscsiInterface ??= 'default';
  }
}

/** SetDefaults_PodSpec and the nested defaults; templates and pods alike. */
export function defaultPodSpec(spec: any): void {
  if (!isObj(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // The v1 conversion mirrors serviceAccountName into the deprecated serviceAccount field.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  // PodSpec's hostNetwork, hostPID and hostIPC are plain bools with omitempty: false is not written
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === false) delete spec[k];
  if (isObj(spec.overhead)) canonicalizeQuantities(spec.overhead);
  const hostNetwork = spec.hostNetwork === true;
  for (const c of arr(spec.initContainers)) defaultContainer(c, hostNetwork);
  for (const c of arr(spec.containers)) defaultContainer(c, hostNetwork);
  for (const c of arr(spec.ephemeralContainers)) defaultContainer(c, hostNetwork);
  for (const v of arr(spec.volumes)) defaultVolume(v);
}

/** SetDefaults_Pod: requests default to limits, enableServiceLinks. Pods only, not templates. */
export function defaultPod(pod: any): void {
  const spec = pod?.spec;
  if (!isObj(spec)) return;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (!isObj(c?.resources?.limits)) continue;
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
  }
  spec.enableServiceLinks ??= true;
  defaultPodSpec(spec);
}

// ---- admission ----

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** names.SimpleNameGenerator: base + 5 random characters. */
export function generateName(base: string): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return base + s;
}

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The projected volume source the ServiceAccount admission plugin adds (TokenVolumeSource). */
export function tokenVolumeSource(): any {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: 420,
  };
}

/**
 * The ServiceAccount admission plugin on pod create: serviceAccountName 'default', the kube-api-access
 * volume mounted read-only in every container (unless the pod or its ServiceAccount opts out), and the
 * ServiceAccount's imagePullSecrets. Looking the ServiceAccount up (403 when missing) is the caller's job;
 * without one, automount defaults to true.
 */
export function admitPodServiceAccount(pod: any, serviceAccount?: any): void {
  const spec = pod?.spec;
  if (!isObj(spec)) return;
  if (pod?.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const automount =
    typeof spec.automountServiceAccountToken === 'boolean'
      ? spec.automountServiceAccountToken
      : typeof serviceAccount?.automountServiceAccountToken === 'boolean'
        ? serviceAccount.automountServiceAccountToken
        : true;
  if (automount) mountServiceAccountToken(spec);
  if (arr(spec.imagePullSecrets).length === 0 && arr(serviceAccount?.imagePullSecrets).length > 0)
    spec.imagePullSecrets = arr(serviceAccount.imagePullSecrets).map((s: any) => ({ name: s?.name ?? '' }));
}

function mountServiceAccountToken(spec: any): void {
  let volumeName = '';
  let hasVolume = false;
  for (const v of arr(spec.volumes)) {
    if (typeof v?.name === 'string' && v.name.startsWith('kube-api-access-')) {
      volumeName = v.name;
      hasVolume = true;
      break;
    }
  }
  if (!volumeName) volumeName = generateName('kube-api-access-');
  let needsVolume = false;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    if (!isObj(c)) continue;
    if (arr(c.volumeMounts).some((m: any) => m?.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    c.volumeMounts = [...arr(c.volumeMounts), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
    needsVolume = true;
  }
  if (!hasVolume && needsVolume) spec.volumes = [...arr(spec.volumes), { name: volumeName, projected: tokenVolumeSource() }];
}

/** The DefaultTolerationSeconds plugin: not-ready and unreachable NoExecute tolerations for 300s. */
export function admitDefaultTolerationSeconds(pod: any): void {
  const spec = pod?.spec;
  if (!isObj(spec)) return;
  const tolerations = arr(spec.tolerations);
  let notReady = false;
  let unreachable = false;
  for (const t of tolerations) {
    const key = t?.key ?? '';
    const effectOk = (t?.effect ?? '') === 'NoExecute' || !t?.effect;
    if ((key === 'node.kubernetes.io/not-ready' || key === '') && effectOk) notReady = true;
    if ((key === 'node.kubernetes.io/unreachable' || key === '') && effectOk) unreachable = true;
  }
  if (notReady && unreachable) return;
  const out = [...tolerations];
  if (!notReady) out.push({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (!unreachable) out.push({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  spec.tolerations = out;
}

const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** The Priority plugin without PriorityClass objects: priority from the system classes, else 0. */
export function admitPriority(pod: any): void {
  const spec = pod?.spec;
  if (!isObj(spec)) return;
  const cls = spec.priorityClassName ?? '';
  if (spec.priority == null) spec.priority = SYSTEM_PRIORITIES[cls] ?? 0;
  if (spec.preemptionPolicy == null) spec.preemptionPolicy = 'PreemptLowerPriority';
}

/** qos.GetPodQOS: sums of positive cpu/memory requests and limits over containers and init containers. */
export function podQOSClass(pod: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...arr(pod?.spec?.containers), ...arr(pod?.spec?.initContainers)]) {
    for (const [name, q] of Object.entries(isObj(c?.resources?.requests) ? c.resources.requests : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = quantityValue(q);
      if (v > 0) requests.set(name, (requests.get(name) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(isObj(c?.resources?.limits) ? c.resources.limits : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = quantityValue(q);
      if (v > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [name, v] of requests) if (limits.get(name) !== v) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
