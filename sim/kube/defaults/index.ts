// The API server's defaulting (pkg/apis/*/v1/defaults.go), the parts of the registry strategies and
// of serialization that show up in stored objects, and the mutating admission a v1.28 server runs with
// its default plugins (ServiceAccount, Priority, DefaultTolerationSeconds).
import type { ResourceType } from '../resources';
import { canonicalizeQuantities } from '../validation/quantity';
import {
  admitDefaultTolerationSeconds,
  admitPodServiceAccount,
  admitPriority,
  defaultPod,
  defaultPodSpec,
  podQOSClass,
} from './pod';

export {
  admitDefaultTolerationSeconds,
  admitPodServiceAccount,
  admitPriority,
  defaultPodSpec,
  defaultPullPolicy,
  generateName,
  podQOSClass,
  tokenVolumeSource,
  SERVICE_ACCOUNT_MOUNT_PATH,
} from './pod';

export interface DefaultsContext {
  /**
   * The pod's ServiceAccount as the API server looked it up (ServiceAccount admission). When absent,
   * automountServiceAccountToken is taken as true and no imagePullSecrets are copied.
   */
  serviceAccount?: any;
}

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function defaultTemplate(template: any): void {
  if (!isObj(template)) return;
  if (!isObj(template.metadata)) template.metadata = {};
  // ObjectMeta inside a template serializes its zero creationTimestamp as null.
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
  if (!isObj(template.spec)) template.spec = {};
  defaultPodSpec(template.spec);
}

function specChanged(obj: any, old: any): boolean {
  return JSON.stringify(sortKeys(obj?.spec ?? {})) !== JSON.stringify(sortKeys(old?.spec ?? {}));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** metadata.generation as the apps strategies keep it: 1 on create, +1 when the spec changes. */
function bumpGeneration(obj: any, old?: any): void {
  if (!isObj(obj.metadata)) obj.metadata = {};
  if (!old) obj.metadata.generation = 1;
  else {
    const prev = typeof old.metadata?.generation === 'number' ? old.metadata.generation : 0;
    obj.metadata.generation = specChanged(obj, old) ? prev + 1 : prev;
  }
}

function defaultDeployment(obj: any, old?: any): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const spec = obj.spec;
  spec.replicas ??= 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  if (!spec.strategy.type) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
  bumpGeneration(obj, old);
  if (!old) obj.status = {};
}

function defaultReplicaSet(obj: any, old?: any): void {
  if (!isObj(obj.spec)) obj.spec = {};
  obj.spec.replicas ??= 1;
  defaultTemplate(obj.spec.template);
  bumpGeneration(obj, old);
  if (!old) obj.status = { replicas: 0 };
}

function defaultService(obj: any, old?: any): void {
  if (!isObj(obj.spec)) obj.spec = {};
  const spec = obj.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of arr(spec.ports)) {
    if (!isObj(p)) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (external && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && (external || spec.type === 'ClusterIP')) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type === 'ExternalName') return;
  // The registry's clusterIP/clusterIPs normalization.
  if (old) {
    const oldSpec = old.spec ?? {};
    const sameIPs = JSON.stringify(spec.clusterIPs ?? null) === JSON.stringify(oldSpec.clusterIPs ?? null);
    if ((spec.clusterIP ?? '') !== (oldSpec.clusterIP ?? '') && sameIPs) {
      if (!spec.clusterIP) delete spec.clusterIPs;
      else spec.clusterIPs = [spec.clusterIP];
    }
    // An update that leaves clusterIP(s) out keeps the allocated ones (patchAllocatedValues).
    if (!spec.clusterIP && arr(spec.clusterIPs).length === 0 && oldSpec.clusterIP) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs;
    }
    // ... and so do node ports, matched by port and protocol.
    const needsNodePort = (t: string) => t === 'NodePort' || t === 'LoadBalancer';
    if (needsNodePort(spec.type) && needsNodePort(oldSpec.type ?? '')) {
      for (const p of arr(spec.ports)) {
        if (!isObj(p) || p.nodePort) continue;
        const prev = arr(oldSpec.ports).find((o: any) => o?.port === p.port && (o?.protocol ?? 'TCP') === p.protocol && o?.nodePort);
        if (prev) p.nodePort = prev.nodePort;
      }
      if (spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort)
        spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
    }
  }
  if (spec.clusterIP && arr(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  if (!spec.clusterIP && arr(spec.clusterIPs).length > 0) spec.clusterIP = spec.clusterIPs[0];
  // The IP family fields the allocator fills on a single-stack IPv4 cluster.
  const headless = spec.clusterIP === 'None';
  const selectorless = !isObj(spec.selector) || Object.keys(spec.selector).length === 0;
  if (spec.ipFamilyPolicy == null) spec.ipFamilyPolicy = headless && selectorless ? 'RequireDualStack' : 'SingleStack';
  if (arr(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
  if (!old) obj.status = { loadBalancer: {} };
  else if (!isObj(obj.status)) obj.status = { loadBalancer: {} };
}

function defaultNamespace(obj: any, old?: any): void {
  if (!isObj(obj.metadata)) obj.metadata = {};
  const name = obj.metadata.name;
  if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  if (!old) {
    obj.spec = { ...(isObj(obj.spec) ? obj.spec : {}), finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  }
}

function defaultSecret(obj: any): void {
  if (!obj.type) obj.type = 'Opaque';
  if (isObj(obj.stringData)) {
    obj.data = { ...(isObj(obj.data) ? obj.data : {}) };
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete obj.stringData;
}

function defaultCoreEvent(obj: any): void {
  if (obj.eventTime === undefined) obj.eventTime = null;
  if (obj.firstTimestamp === undefined) obj.firstTimestamp = null;
  if (obj.lastTimestamp === undefined) obj.lastTimestamp = null;
  if (obj.reportingComponent === undefined) obj.reportingComponent = '';
  if (obj.reportingInstance === undefined) obj.reportingInstance = '';
  if (!isObj(obj.source)) obj.source = {};
  if (!isObj(obj.involvedObject)) obj.involvedObject = {};
}

function defaultEventsV1Event(obj: any): void {
  if (obj.deprecatedFirstTimestamp === undefined) obj.deprecatedFirstTimestamp = null;
  if (obj.deprecatedLastTimestamp === undefined) obj.deprecatedLastTimestamp = null;
  if (!isObj(obj.deprecatedSource)) obj.deprecatedSource = {};
  if (!isObj(obj.regarding)) obj.regarding = {};
}

function defaultEndpoints(obj: any): void {
  for (const ss of arr(obj.subsets)) for (const p of arr(ss?.ports)) if (isObj(p) && !p.protocol) p.protocol = 'TCP';
}

function defaultEndpointSlice(obj: any): void {
  for (const p of arr(obj.ports)) {
    if (!isObj(p)) continue;
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

function defaultNode(obj: any): void {
  if (!isObj(obj.spec)) obj.spec = {};
  if (isObj(obj.status) && isObj(obj.status.capacity) && !isObj(obj.status.allocatable)) obj.status.allocatable = { ...obj.status.capacity };
  canonicalizeQuantities(obj.status?.capacity);
  canonicalizeQuantities(obj.status?.allocatable);
}

function defaultBindingSubjects(obj: any): void {
  for (const s of arr(obj.subjects)) {
    if (!isObj(s) || s.apiGroup) continue;
    // ServiceAccount subjects default to "", which serializes as no field at all.
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = 'rbac.authorization.k8s.io';
  }
}

function defaultPodObject(obj: any, old: any, ctx: DefaultsContext): void {
  if (!isObj(obj.spec)) obj.spec = {};
  if (!old) {
    admitPodServiceAccount(obj, ctx.serviceAccount);
    admitPriority(obj);
  } else {
    // The Priority plugin keeps what it set on create.
    if (obj.spec.priority == null && old.spec?.priority != null) obj.spec.priority = old.spec.priority;
    if (obj.spec.preemptionPolicy == null && old.spec?.preemptionPolicy != null) obj.spec.preemptionPolicy = old.spec.preemptionPolicy;
  }
  // DefaultTolerationSeconds handles create and update.
  admitDefaultTolerationSeconds(obj);
  defaultPod(obj);
  if (!old) obj.status = { phase: 'Pending', qosClass: podQOSClass(obj) };
}

/**
 * Applies the API server's defaulting and the mutating admission that a v1.28 server runs with
 * default plugins (ServiceAccount: serviceAccountName and the projected kube-api-access-xxxxx volume;
 * DefaultTolerationSeconds: not-ready/unreachable tolerations), mutating obj in place, on create
 * (old undefined) and update. Stateful allocation (Service clusterIP/nodePort) is the API server's job.
 *
 * Also what the registry strategies write on create (Deployment/ReplicaSet generation and empty status,
 * Pod status Pending with its qosClass, Namespace finalizers and phase, Service status.loadBalancer)
 * and what Go serialization shows for zero values (a template's creationTimestamp: null, containers'
 * resources: {}, an Event's null timestamps).
 */
export function applyDefaults(rt: ResourceType, obj: any, old?: any, ctx: DefaultsContext = {}): void {
  if (!isObj(obj)) return;
  switch (`${rt.group}/${rt.kind}`) {
    case '/Pod':
      defaultPodObject(obj, old, ctx);
      break;
    case 'apps/Deployment':
      defaultDeployment(obj, old);
      break;
    case 'apps/ReplicaSet':
      defaultReplicaSet(obj, old);
      break;
    case '/Service':
      defaultService(obj, old);
      break;
    case '/Namespace':
      defaultNamespace(obj, old);
      break;
    case '/Secret':
      defaultSecret(obj);
      break;
    case '/Event':
      defaultCoreEvent(obj);
      break;
    case 'events.k8s.io/Event':
      defaultEventsV1Event(obj);
      break;
    case '/Endpoints':
      defaultEndpoints(obj);
      break;
    case 'discovery.k8s.io/EndpointSlice':
      defaultEndpointSlice(obj);
      break;
    case '/Node':
      defaultNode(obj);
      break;
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      defaultBindingSubjects(obj);
      break;
  }
}
