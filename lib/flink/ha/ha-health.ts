// HA health per cluster for the cluster list: whether it has HA data, a leader and standbys, from
// the `<cid>-cluster-config-map` records and the JobManager pods of a namespace (or all). PURE.
import { toPodDto, type PodDto } from '../cluster-detail-objects';
import { deriveHaState } from './derive-ha-state';
import { findLeaderPod } from './derive-leadership';
import { readHaConfigMap, type HaConfigMapRecord } from './read-ha-config-map';

/** A cluster's lock ConfigMap as the list streams it. */
export type HaLockDto = HaConfigMapRecord & { kind: 'HaLock'; key: string; resourceVersion: string; namespace: string; clusterId: string };
/** A JobManager pod as the list streams it. */
export type HaPodDto = PodDto & { namespace: string; clusterId: string };
export type HaHealthItem = HaLockDto | HaPodDto;

export type ClusterHaHealth =
  | { state: 'off' }
  | { state: 'no-leader'; reason: string }
  | { state: 'leader'; leaderPod?: string; standbys: number };

/** Health per `namespace/clusterId` (the cluster list's row key); clusters without a lock are absent. */
export function deriveHaHealth(items: readonly HaHealthItem[], now: number): Map<string, ClusterHaHealth> {
  const pods = new Map<string, HaPodDto[]>();
  for (const item of items) {
    if (item.kind !== 'Pod') continue;
    const key = `${item.namespace}/${item.clusterId}`;
    pods.set(key, [...(pods.get(key) ?? []), item]);
  }
  const health = new Map<string, ClusterHaHealth>();
  for (const lock of items) {
    if (lock.kind !== 'HaLock') continue;
    const key = `${lock.namespace}/${lock.clusterId}`;
    const state = deriveHaState([lock]);
    const e = state.election;
    if (e.state !== 'held') {
      health.set(key, { state: 'no-leader', reason: e.state === 'released' ? 'the lock is released' : e.state === 'unreadable' ? 'the leader record is unreadable' : 'no leader record' });
      continue;
    }
    if (now - Date.parse(e.renewTime) > e.leaseDurationMs) {
      health.set(key, { state: 'no-leader', reason: 'the lease is stale' });
      continue;
    }
    const clusterPods = pods.get(key) ?? [];
    const { pod } = findLeaderPod(state, clusterPods);
    const standbys = clusterPods.filter((p) => p.name !== pod?.name && !p.deleting && p.phase === 'Running').length;
    health.set(key, { state: 'leader', leaderPod: pod?.name, standbys });
  }
  return health;
}

type Raw = Record<string, unknown>;
function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}
function metaOf(raw: unknown): { name: string; namespace: string; app: string; resourceVersion: string } {
  const meta = obj(obj(raw).metadata);
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return { name: s(meta.name), namespace: s(meta.namespace), app: s(obj(meta.labels).app), resourceVersion: s(meta.resourceVersion) };
}

/** `<app>-cluster-config-map` of the cluster its `app` label names; undefined for any other ConfigMap. */
export function toHaLockDto(raw: unknown): HaLockDto | undefined {
  const m = metaOf(raw);
  if (!m.app || m.name !== `${m.app}-cluster-config-map`) return undefined;
  const record = readHaConfigMap(raw, m.app);
  if (!record) return undefined;
  return { ...record, kind: 'HaLock', key: `HaLock/${m.namespace}/${m.name}`, resourceVersion: m.resourceVersion, namespace: m.namespace, clusterId: m.app };
}

export function toHaPodDto(raw: unknown): HaPodDto {
  const m = metaOf(raw);
  return { ...toPodDto(raw), namespace: m.namespace, clusterId: m.app };
}
