import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import { splitClusterObjects } from '@/lib/flink/cluster-status';
import { deriveHaState } from '@/lib/flink/ha/derive-ha-state';
import { deriveLeadership, type Leadership } from '@/lib/flink/ha/derive-leadership';
import { deriveFailovers, type FailoverRecord } from '@/lib/flink/ha/failover-history';
import { isHaEnabled, type HaConfigMapDto } from '@/lib/flink/ha/ha-config-map-dto';

/** The leader card's model from the cluster page's streamed objects. PURE. */
export function leadershipFromObjects(objects: readonly ClusterObject[], clusterId: string, now: number): Leadership | undefined {
  const parts = splitClusterObjects(objects);
  const records = objects.filter((o): o is HaConfigMapDto => o.kind === 'HaConfigMap');
  const haEnabled = isHaEnabled(clusterId, parts.deployment, parts.services);
  // Before the Services are known, an HA-less cluster is not yet told apart: show nothing rather than guess.
  if (haEnabled === undefined && records.length === 0) return undefined;
  return deriveLeadership({ clusterId, haEnabled: haEnabled ?? true, state: deriveHaState(records), pods: parts.pods, now });
}

/** The Test failovers recorded on the Deployment, joined with the current lease. PURE. */
export function failoversFromObjects(objects: readonly ClusterObject[], leadership: Leadership | undefined): FailoverRecord[] {
  const current = leadership?.ha === 'on' ? { acquireTime: leadership.acquireTime, leaderPod: leadership.leaderPod?.name, leading: leadership.leading } : { leading: false };
  return deriveFailovers(splitClusterObjects(objects).events, current);
}
