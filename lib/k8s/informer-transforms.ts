// PURE transforms applied by an informer as it stores each object (client-go's TransformFunc): the
// cluster list's informers keep only the fields the list needs, not whole objects. A transform is
// part of the informer's key (toInformerKey), so an informer without one (the cluster page's) is
// never handed stripped objects.
import type { SlimContainerState, SlimContainerStatus, SlimPod } from '@/lib/flink/cluster-list-status';
import { readHaSettings } from '@/lib/flink/ha-data';

export type InformerTransform = {
  /** Part of the informer's key: informers with different transforms are different informers. */
  name: string;
  apply: (object: unknown) => { metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string } };
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Labels the list reads: the cluster id, the component and the HA ConfigMap type. */
const KEPT_LABELS = ['app', 'component', 'type', 'configmap-type'];

function slimLabels(v: unknown): Record<string, string> | undefined {
  const labels = obj(v);
  const out: Record<string, string> = {};
  for (const k of KEPT_LABELS) if (typeof labels[k] === 'string') out[k] = labels[k] as string;
  return Object.keys(out).length ? out : undefined;
}

function slimMetadata(v: unknown) {
  const m = obj(v);
  const owners = Array.isArray(m.ownerReferences) ? m.ownerReferences.map((o) => ({ uid: str(obj(o).uid) ?? '' })) : undefined;
  return {
    name: str(m.name) ?? '',
    namespace: str(m.namespace) ?? '',
    uid: str(m.uid) ?? '',
    resourceVersion: str(m.resourceVersion) ?? '',
    ...(str(m.creationTimestamp) ? { creationTimestamp: str(m.creationTimestamp) } : {}),
    ...(str(m.deletionTimestamp) ? { deletionTimestamp: str(m.deletionTimestamp) } : {}),
    ...(slimLabels(m.labels) ? { labels: slimLabels(m.labels) } : {}),
    ...(owners?.length ? { ownerReferences: owners } : {}),
  };
}

function slimState(v: unknown): SlimContainerState | undefined {
  if (!isObj(v)) return undefined;
  if (isObj(v.waiting)) return { waiting: { reason: str(v.waiting.reason) } };
  if (isObj(v.terminated)) return { terminated: { reason: str(v.terminated.reason), exitCode: num(v.terminated.exitCode) } };
  if (isObj(v.running)) return { running: { startedAt: str(v.running.startedAt) } };
  return undefined;
}

function slimContainerStatus(v: unknown): SlimContainerStatus {
  const c = obj(v);
  const state = slimState(c.state);
  const lastState = slimState(c.lastState);
  return {
    name: str(c.name) ?? '',
    ready: c.ready === true,
    restartCount: num(c.restartCount) ?? 0,
    ...(state ? { state } : {}),
    ...(lastState ? { lastState } : {}),
  };
}

export type SlimListPod = SlimPod & {
  metadata: SlimPod['metadata'] & { uid: string; resourceVersion: string; ownerReferences?: { uid: string }[] };
  spec?: { nodeName?: string };
};

/** A pod as the cluster list keeps it: no spec beyond nodeName, no managedFields, no env. */
export function slimPod(object: unknown): SlimListPod {
  const o = obj(object);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const conditions = Array.isArray(status.conditions)
    ? status.conditions
        .map(obj)
        .filter((c) => c.type === 'PodScheduled' || c.type === 'Ready')
        .map((c) => ({ type: str(c.type) ?? '', status: str(c.status) ?? '', reason: str(c.reason) }))
    : undefined;
  const containerStatuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.map(slimContainerStatus) : undefined;
  return {
    metadata: slimMetadata(o.metadata),
    ...(str(spec.nodeName) ? { spec: { nodeName: str(spec.nodeName) } } : {}),
    status: {
      phase: str(status.phase),
      ...(str(status.podIP) ? { podIP: str(status.podIP) } : {}),
      ...(conditions?.length ? { conditions } : {}),
      ...(containerStatuses?.length ? { containerStatuses } : {}),
    },
  };
}

/** A JobManager Deployment as the cluster list keeps it: what toClusterSummary reads, nothing else. */
export function slimDeployment(object: unknown) {
  const o = obj(object);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const podSpec = obj(obj(spec.template).spec);
  const containers = Array.isArray(podSpec.containers)
    ? podSpec.containers.map(obj).map((c) => ({
        name: str(c.name),
        image: str(c.image),
        ...(Array.isArray(c.command) ? { command: c.command.filter((s) => typeof s === 'string') } : {}),
        ...(Array.isArray(c.args) ? { args: c.args.filter((s) => typeof s === 'string') } : {}),
      }))
    : [];
  return {
    metadata: slimMetadata(o.metadata),
    spec: { ...(num(spec.replicas) !== undefined ? { replicas: num(spec.replicas) } : {}), template: { spec: { containers } } },
    status: {
      ...(num(status.readyReplicas) !== undefined ? { readyReplicas: num(status.readyReplicas) } : {}),
      ...(num(status.replicas) !== undefined ? { replicas: num(status.replicas) } : {}),
    },
  };
}

/** Flink's leader entry of the REST endpoint in the HA cluster ConfigMap (1.15+): `<sessionId>,<address>`. */
export const REST_LEADER_KEY = 'org.apache.flink.k8s.leader.restserver';

export type SlimListConfigMap = {
  metadata: ReturnType<typeof slimMetadata>;
  /** For flink-config-<id>: whether its config file turns HA on. */
  haEnabled?: boolean;
  /** For the HA ConfigMap holding the REST leader: its `<sessionId>,<address>` entry. */
  restLeader?: string;
};

/**
 * A Flink ConfigMap as the cluster list keeps it: the config file reduced to "HA on or off", the HA
 * ConfigMaps reduced to the REST leader's entry (checkpoint handles and job graphs are dropped).
 */
export function slimConfigMap(object: unknown): SlimListConfigMap {
  const o = obj(object);
  const metadata = slimMetadata(o.metadata);
  const data = obj(o.data) as Record<string, string>;
  const clusterId = metadata.labels?.app ?? '';
  const out: SlimListConfigMap = { metadata };
  if (metadata.name === `flink-config-${clusterId}`) out.haEnabled = readHaSettings(data, clusterId).enabled;
  if (metadata.name === `${clusterId}-cluster-config-map` && typeof data[REST_LEADER_KEY] === 'string') out.restLeader = data[REST_LEADER_KEY];
  // Flink 1.12–1.14: one ConfigMap per component, the address in its own key.
  if (metadata.name === `${clusterId}-restserver-leader` && typeof data.address === 'string') {
    out.restLeader = `${data.sessionId ?? ''},${data.address}`;
  }
  return out;
}

export const listPodTransform: InformerTransform = { name: 'cluster-list-pod', apply: slimPod };
export const listDeploymentTransform: InformerTransform = { name: 'cluster-list-deployment', apply: slimDeployment };
export const listConfigMapTransform: InformerTransform = { name: 'cluster-list-configmap', apply: slimConfigMap };
