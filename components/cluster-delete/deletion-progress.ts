import type { ClusterObject, DeploymentDto } from '@/lib/flink/cluster-detail-objects';

/**
 * The Delete button's progress on the cluster page, from the objects its watch streams: whether the
 * Deployment exists and is being deleted, and how many of the cluster's objects are still there
 * (events aside; HA ConfigMaps, which have no owner, aside: <id>-cluster-config-map, <id>-<job>-config-map).
 */
export function deletionProgress(objects: readonly ClusterObject[]): { exists: boolean; deletionTimestamp?: string; remaining: number } {
  const deployment = objects.find((o): o is DeploymentDto => o.kind === 'Deployment');
  const remaining = objects.filter((o) => o.kind !== 'Event' && !(o.kind === 'ConfigMap' && o.name.endsWith('-config-map'))).length;
  return { exists: deployment !== undefined, deletionTimestamp: deployment?.deletionTimestamp, remaining };
}
