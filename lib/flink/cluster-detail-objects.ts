// Slim DTOs of the Kubernetes objects that make up one native Flink cluster, as the cluster page
// streams them. PURE: raw objects in (unknown, narrowed here), small serialisable records out.
import { AUDIT_ANNOTATIONS, AUDIT_COMPONENT } from '@/lib/audit/audit-actions';
import type { HaConfigMapDto } from './ha/ha-config-map-dto';

export type ObjectKind = 'Deployment' | 'ReplicaSet' | 'Pod' | 'ConfigMap' | 'Service' | 'Event';

type Base<K extends ObjectKind> = { kind: K; key: string; resourceVersion: string; name: string; createdAt?: string };

export type Condition = { type: string; status: string; reason?: string; message?: string };

export type DeploymentDto = Base<'Deployment'> & {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  image: string;
  conditions: Condition[];
  /** Set while the Deployment is being deleted. */
  deletionTimestamp?: string;
};

export type ReplicaSetDto = Base<'ReplicaSet'> & { replicas: number; readyReplicas: number; conditions: Condition[] };

export type ContainerDto = {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  exitCode?: number;
  /** The previous instance's end (`lastState.terminated`): OOMKilled, Error, Completed, with its exit code. */
  lastTerminated?: { reason?: string; exitCode?: number; finishedAt?: string };
};

export type PodDto = Base<'Pod'> & {
  component: string;
  phase: string;
  nodeName?: string;
  podIP?: string;
  /** `status.reason`, e.g. Evicted. */
  reason?: string;
  deleting: boolean;
  conditions: Condition[];
  containers: ContainerDto[];
};

export type ConfigMapDto = Base<'ConfigMap'> & { dataKeys: string[] };

export type ServiceDto = Base<'Service'> & {
  type: string;
  clusterIP?: string;
  ports: { name?: string; port: number; nodePort?: number }[];
};

export type EventDto = Base<'Event'> & {
  type: string;
  reason: string;
  message: string;
  involvedKind: string;
  involvedName: string;
  count: number;
  lastSeen?: string;
  /** Set on the dashboard's audit Events (lib/audit): who reported it, and the user it names. */
  reportingComponent?: string;
  auditUser?: string;
};

export type ClusterObject = DeploymentDto | ReplicaSetDto | PodDto | ConfigMapDto | ServiceDto | EventDto | HaConfigMapDto;

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return undefined;
}
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function toBase<K extends ObjectKind>(kind: K, raw: unknown): Base<K> {
  const meta = obj(obj(raw).metadata);
  const name = str(meta.name) ?? '';
  const namespace = str(meta.namespace) ?? '';
  return {
    kind,
    key: `${kind}/${namespace}/${name}`,
    resourceVersion: str(meta.resourceVersion) ?? '',
    name,
    createdAt: str(meta.creationTimestamp),
  };
}

function toConditions(v: unknown): Condition[] {
  return arr(v).map((c) => {
    const o = obj(c);
    return { type: str(o.type) ?? '', status: str(o.status) ?? '', reason: str(o.reason), message: str(o.message) };
  });
}

export function toDeploymentDto(raw: unknown): DeploymentDto {
  const spec = obj(obj(raw).spec);
  const status = obj(obj(raw).status);
  const containers = arr(obj(obj(obj(spec.template).spec)).containers);
  return {
    ...toBase('Deployment', raw),
    replicas: typeof spec.replicas === 'number' ? spec.replicas : 1,
    readyReplicas: num(status.readyReplicas),
    availableReplicas: num(status.availableReplicas),
    unavailableReplicas: num(status.unavailableReplicas),
    image: str(obj(containers[0]).image) ?? '',
    conditions: toConditions(status.conditions),
    ...(str(obj(obj(raw).metadata).deletionTimestamp) ? { deletionTimestamp: str(obj(obj(raw).metadata).deletionTimestamp) } : {}),
  };
}

export function toReplicaSetDto(raw: unknown): ReplicaSetDto {
  const status = obj(obj(raw).status);
  return {
    ...toBase('ReplicaSet', raw),
    replicas: num(obj(obj(raw).spec).replicas),
    readyReplicas: num(status.readyReplicas),
    conditions: toConditions(status.conditions),
  };
}

function toContainerDto(spec: Raw, status: Raw | undefined): ContainerDto {
  const state = obj(status?.state);
  const [which, detail] = state.waiting
    ? (['waiting', obj(state.waiting)] as const)
    : state.running
      ? (['running', obj(state.running)] as const)
      : state.terminated
        ? (['terminated', obj(state.terminated)] as const)
        : (['unknown', {} as Raw] as const);
  return {
    name: str(spec.name) ?? str(status?.name) ?? '',
    image: str(spec.image) ?? '',
    ready: status?.ready === true,
    restartCount: num(status?.restartCount),
    state: which,
    reason: str(detail.reason),
    message: str(detail.message),
    exitCode: typeof detail.exitCode === 'number' ? detail.exitCode : undefined,
    lastTerminated: toTerminated(obj(status?.lastState).terminated),
  };
}

function toTerminated(v: unknown): ContainerDto['lastTerminated'] {
  if (!v || typeof v !== 'object') return undefined;
  const t = obj(v);
  return { reason: str(t.reason), exitCode: typeof t.exitCode === 'number' ? t.exitCode : undefined, finishedAt: str(t.finishedAt) };
}

export function toPodDto(raw: unknown): PodDto {
  const meta = obj(obj(raw).metadata);
  const spec = obj(obj(raw).spec);
  const status = obj(obj(raw).status);
  const statuses = arr(status.containerStatuses).map(obj);
  return {
    ...toBase('Pod', raw),
    component: str(obj(meta.labels).component) ?? '',
    phase: str(status.phase) ?? 'Pending',
    nodeName: str(spec.nodeName),
    podIP: str(status.podIP),
    reason: str(status.reason),
    deleting: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    conditions: toConditions(status.conditions),
    containers: arr(spec.containers).map((c) => {
      const cs = obj(c);
      return toContainerDto(cs, statuses.find((s) => s.name === cs.name));
    }),
  };
}

export function toConfigMapDto(raw: unknown): ConfigMapDto {
  const o = obj(raw);
  return { ...toBase('ConfigMap', raw), dataKeys: [...Object.keys(obj(o.data)), ...Object.keys(obj(o.binaryData))].sort() };
}

export function toServiceDto(raw: unknown): ServiceDto {
  const spec = obj(obj(raw).spec);
  return {
    ...toBase('Service', raw),
    type: str(spec.type) ?? 'ClusterIP',
    clusterIP: str(spec.clusterIP),
    ports: arr(spec.ports).map((p) => {
      const o = obj(p);
      return { name: str(o.name), port: num(o.port), nodePort: typeof o.nodePort === 'number' ? o.nodePort : undefined };
    }),
  };
}

export function toEventDto(raw: unknown): EventDto {
  const o = obj(raw);
  const involved = obj(o.involvedObject);
  const series = obj(o.series);
  return {
    ...toBase('Event', raw),
    type: str(o.type) ?? 'Normal',
    reason: str(o.reason) ?? '',
    message: str(o.message) ?? '',
    involvedKind: str(involved.kind) ?? '',
    involvedName: str(involved.name) ?? '',
    // events.k8s.io recorders (the scheduler) count in series.count and leave count unset.
    count: typeof series.count === 'number' ? series.count : typeof o.count === 'number' && o.count > 0 ? o.count : 1,
    // kubectl's order of preference (kubectl events' eventTime()): the series' last observation,
    // then lastTimestamp (legacy recorders: kubelet, controllers), then eventTime (MicroTime).
    lastSeen: str(series.lastObservedTime) ?? str(o.lastTimestamp) ?? str(o.eventTime) ?? str(obj(o.metadata).creationTimestamp),
    ...auditFields(o),
  };
}

/** The audit fields of an Event the dashboard wrote (reportingComponent flink-native-dashboard), else none. */
function auditFields(o: Raw): Pick<EventDto, 'reportingComponent' | 'auditUser'> {
  const component = str(o.reportingComponent) || str(obj(o.source).component);
  if (component !== AUDIT_COMPONENT) return {};
  const user = str(obj(obj(o.metadata).annotations)[AUDIT_ANNOTATIONS.user]);
  return { reportingComponent: component, ...(user ? { auditUser: user } : {}) };
}

/** An RFC 3339 time split into whole seconds since the epoch and the fraction as a 9-digit string ('' when the time has none). */
function splitTime(time: string | undefined): { seconds: number; fraction: string } | undefined {
  const m = time ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(time) : null;
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return { seconds: ms / 1000, fraction: m[2] ? m[2].padEnd(9, '0') : '' };
}

/** A decimal resourceVersion as a BigInt (what kube-apiserver's etcd3 storage gives); undefined otherwise. */
function revision(rv: string): bigint | undefined {
  return /^\d{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}

/** b before a (newest first) when positive; an absent value sorts after a present one. */
function desc<T extends number | bigint | string>(a: T | undefined, b: T | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : 1) : -1;
  return a < b ? 1 : a > b ? -1 : 0;
}

/**
 * Events newest first, in a stable and deterministic order:
 * 1. by the second of lastSeen (lastTimestamp has whole seconds; MicroTimes are compared by their
 *    second here, since a whole-second time says nothing about where in its second it fell);
 * 2. within one second, by resourceVersion compared as a number, newest write first: the API server
 *    assigns it from one increasing counter at each write (the etcd revision; with events in a
 *    separate etcd, still one counter for all events), and an event's last write is the one that set
 *    its lastSeen, so this is the order in which the events really happened (as far as the API
 *    server saw them), even between a legacy event and a MicroTime one;
 * 3. then by the sub-second part of MicroTimes (when the resourceVersions are not numbers);
 * 4. then by key, so equal inputs always give the same order.
 * Each step compares tuples of the same fields (absent values last), so the order is total.
 */
export function compareEventsNewestFirst(a: EventDto, b: EventDto): number {
  const ta = splitTime(a.lastSeen);
  const tb = splitTime(b.lastSeen);
  return (
    desc(ta?.seconds, tb?.seconds) ||
    desc(revision(a.resourceVersion), revision(b.resourceVersion)) ||
    desc(ta?.fraction || undefined, tb?.fraction || undefined) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * Whether an event concerns this cluster: its Deployment `<id>`, ReplicaSets `<id>-<hash>`, pods
 * `<id>-<hash>-<x>` and `<id>-taskmanager-<a>-<b>`. Flink forbids dashes nowhere, so a prefix
 * match could also catch cluster `<id>-x`'s objects; the kinds and shapes narrow it.
 */
export function isClusterEvent(raw: unknown, clusterId: string): boolean {
  const involved = obj(obj(raw).involvedObject);
  const name = str(involved.name) ?? '';
  const kind = str(involved.kind) ?? '';
  if (kind === 'Deployment') return name === clusterId;
  if (kind === 'ReplicaSet') return new RegExp(`^${escape(clusterId)}-[a-z0-9]{1,10}$`).test(name);
  if (kind === 'Pod') {
    return (
      new RegExp(`^${escape(clusterId)}-[a-z0-9]{1,10}-[a-z0-9]{5}$`).test(name) ||
      new RegExp(`^${escape(clusterId)}-taskmanager-\\d+-\\d+$`).test(name)
    );
  }
  return false;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
