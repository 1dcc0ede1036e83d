import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';
import { purgeHaConfigMaps } from './purge-ha-configmaps';
import { deploymentPath, listHaConfigMaps } from './delete-plan';
import type { DeleteResult } from './delete-plan-types';

/** How long a delete that purges HA data waits for the Deployment's Foreground delete to finish. */
export const DELETE_WAIT_MS = 120_000;

function foreground(uid?: string) {
  return { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', ...(uid ? { preconditions: { uid } } : {}) };
}

/**
 * Asks the API server whether the Deployment may be deleted, without deleting it (?dryRun=All is
 * authorized exactly like the real verb). Its uid, or undefined when it is already gone.
 */
async function checkDeploymentDelete(conn: Connection, namespace: string, clusterId: string): Promise<string | undefined> {
  try {
    const answer = (await callK8s(conn, { method: 'DELETE', path: deploymentPath(namespace, clusterId), query: { dryRun: 'All' }, body: foreground() })) as {
      metadata?: { uid?: string };
    };
    return answer?.metadata?.uid ?? '';
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw toK8sApiError(err, { verb: 'delete', resource: 'deployments', namespace, server: conn.server });
  }
}

/** The same check for the HA ConfigMaps (a missing one still tells: RBAC is decided before the lookup). */
async function checkConfigMapDelete(conn: Connection, namespace: string, name: string): Promise<void> {
  try {
    await callK8s(conn, { method: 'DELETE', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`, query: { dryRun: 'All' } });
  } catch (err) {
    if (hasStatus(err, 404)) return;
    throw toK8sApiError(err, { verb: 'delete', resource: 'configmaps', namespace, server: conn.server });
  }
}

async function waitUntilGone(conn: Connection, path: string, uid: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const current = (await callK8s(conn, { method: 'GET', path })) as { metadata?: { uid?: string } };
      // A new cluster with the same id made meanwhile is not the one being deleted.
      if (uid && current?.metadata?.uid !== uid) return true;
    } catch (err) {
      if (hasStatus(err, 404)) return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Deletes a cluster: every right is checked first (dry runs), so a refusal changes nothing. Then
 * the JobManager Deployment is deleted with Foreground propagation: the garbage collector removes
 * every object owner-referenced to it (ReplicaSets, pods, flink-config, pod-template, Services,
 * TaskManager pods) before the Deployment itself. HA ConfigMaps have no owner and stay, unless
 * `purgeHaData`: they are then deleted once the Deployment is gone (a terminating JobManager could
 * still write its leader ConfigMap until then). Files under high-availability.storageDir are never touched.
 */
export async function deleteCluster(
  conn: Connection,
  namespace: string,
  clusterId: string,
  options: { purgeHaData: boolean; waitMs?: number },
): Promise<DeleteResult> {
  const uid = await checkDeploymentDelete(conn, namespace, clusterId);
  if (options.purgeHaData) {
    await checkConfigMapDelete(conn, namespace, `${clusterId}-cluster-config-map`);
  }
  const alreadyGone = uid === undefined;
  if (!alreadyGone) {
    try {
      await callK8s(conn, { method: 'DELETE', path: deploymentPath(namespace, clusterId), body: foreground(uid || undefined) });
    } catch (err) {
      // 404: gone meanwhile; 409: the uid precondition failed, i.e. it was replaced by a new cluster.
      if (hasStatus(err, 409)) {
        throw new ApiError('conflict', `Cluster ${clusterId} in namespace ${namespace} was replaced by a new one while deleting; nothing was deleted.`);
      }
      if (!hasStatus(err, 404)) throw toK8sApiError(err, { verb: 'delete', resource: 'deployments', namespace, server: conn.server });
    }
  }

  if (!options.purgeHaData) {
    const kept = (await listHaConfigMaps(conn, namespace, clusterId).catch(() => [])).map((c) => c.metadata.name).sort();
    return {
      namespace,
      clusterId,
      state: alreadyGone ? 'gone' : 'deleting',
      alreadyGone,
      purgedConfigMaps: [],
      keptConfigMaps: kept,
      message: alreadyGone
        ? `Cluster ${clusterId} is already gone from namespace ${namespace}; nothing was deleted.`
        : `Deleting cluster ${clusterId}: Kubernetes removes the Deployment after every object it owns.${kept.length ? ` Kept ${kept.length} HA ConfigMap${kept.length === 1 ? '' : 's'}.` : ''}`,
    };
  }

  if (!alreadyGone && !(await waitUntilGone(conn, deploymentPath(namespace, clusterId), uid ?? '', options.waitMs ?? DELETE_WAIT_MS))) {
    throw new ApiError(
      'timeout',
      `Cluster ${clusterId} is still being deleted after ${Math.round((options.waitMs ?? DELETE_WAIT_MS) / 1000)} s, so its HA ConfigMaps were kept. Purge them from Leftover HA data once the cluster is gone.`,
    );
  }
  const names = (await listHaConfigMaps(conn, namespace, clusterId)).map((c) => c.metadata.name).sort();
  await purgeHaConfigMaps(conn, namespace, names);
  return {
    namespace,
    clusterId,
    state: 'gone',
    alreadyGone,
    purgedConfigMaps: names,
    keptConfigMaps: [],
    message: alreadyGone
      ? `Cluster ${clusterId} was already gone from namespace ${namespace}; ${names.length ? `deleted its ${names.length} HA ConfigMap${names.length === 1 ? '' : 's'}` : 'it had no HA ConfigMaps'}.`
      : `Deleted cluster ${clusterId}${names.length ? ` and its ${names.length} HA ConfigMap${names.length === 1 ? '' : 's'}` : ''}.`,
  };
}
