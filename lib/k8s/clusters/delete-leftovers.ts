import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { isAllNamespaces } from '@/lib/api/scope';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import { isHaConfigMap, readHaData } from '@/lib/flink/ha-data';
import type { Connection } from '../kubeconfig';
import { deleteKinds, getDeployment, listHaConfigMaps, listObjects, toHaInput, type RawObject } from './delete-plan';
import type { HaLeftover } from './delete-plan-types';
import { purgeHaConfigMaps } from './purge-ha-configmaps';

/**
 * HA ConfigMaps whose cluster no longer exists, grouped by (namespace, cluster id): Flink labels them
 * app=<id>,type=flink-native-kubernetes (plus configmap-type=high-availability before 2.0, so that
 * label is not used), and no JobManager Deployment named <id> is there any more.
 */
export async function listHaLeftovers(conn: Connection, namespace: string): Promise<HaLeftover[]> {
  const ns = isAllNamespaces(namespace) ? undefined : namespace;
  const [configMaps, deployments] = await Promise.all([
    listObjects(conn, deleteKinds.ConfigMap, ns, `type=${FLINK_NATIVE_TYPE}`),
    listObjects(conn, deleteKinds.Deployment, ns),
  ]);
  const existing = new Set(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
  const groups = new Map<string, RawObject[]>();
  for (const cm of configMaps) {
    const clusterId = cm.metadata.labels?.app;
    const key = `${cm.metadata.namespace}/${clusterId}`;
    if (!clusterId || existing.has(key) || !isHaConfigMap(clusterId, toHaInput(cm))) continue;
    groups.set(key, [...(groups.get(key) ?? []), cm]);
  }
  return [...groups.entries()]
    .map(([key, items]) => {
      const [namespaceOf, clusterId] = key.split('/');
      const ha = readHaData(clusterId, items.map(toHaInput));
      const created = items.map((i) => i.metadata.creationTimestamp ?? '').filter(Boolean).sort()[0];
      return { namespace: namespaceOf, clusterId, configMaps: ha.configMaps, jobs: ha.jobs, dataPath: ha.dataPathFromHandles, createdAt: created };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.clusterId.localeCompare(b.clusterId));
}

/** Deletes the HA ConfigMaps of a cluster id that no longer exists; refuses while its Deployment is there. */
export async function purgeHaLeftover(conn: Connection, namespace: string, clusterId: string): Promise<string[]> {
  if (await getDeployment(conn, namespace, clusterId)) {
    throw new ApiError(
      'conflict',
      `Cluster ${clusterId} exists in namespace ${namespace}: its HA ConfigMaps are in use. Delete the cluster to remove them.`,
    );
  }
  const names = (await listHaConfigMaps(conn, namespace, clusterId)).map((c) => c.metadata.name).sort();
  await purgeHaConfigMaps(conn, namespace, names);
  return names;
}
