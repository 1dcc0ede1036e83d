import 'server-only';
import type { Connection } from '../kubeconfig';
import { findHaLeftovers } from './find-ha-leftovers';
import { callK8s, hasStatus } from './k8s-call';
import { purgeHaConfigMaps } from './purge-ha-configmaps';

async function retry<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}

/**
 * Removes what a failed create made: the Deployment (Foreground, so the API server keeps it until
 * its owned Services and ConfigMaps are gone; the uid precondition spares a cluster someone else
 * made meanwhile), then every HA ConfigMap of the id that was not there when the create began.
 * The shared ServiceAccount, Role and RoleBinding stay. Errors are logged: the create's own error
 * is what the user sees.
 */
export async function rollbackCluster(
  conn: Connection,
  target: { namespace: string; clusterId: string; deploymentUid?: string; keepConfigMaps: readonly string[] },
): Promise<void> {
  const { namespace, clusterId, deploymentUid, keepConfigMaps } = target;
  const ns = encodeURIComponent(namespace);
  const steps: Promise<unknown>[] = [];
  if (deploymentUid) {
    steps.push(
      retry(3, async () => {
        try {
          await callK8s(conn, {
            method: 'DELETE',
            path: `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(clusterId)}`,
            body: {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              propagationPolicy: 'Foreground',
              preconditions: { uid: deploymentUid },
            },
          });
        } catch (err) {
          if (!hasStatus(err, 404) && !hasStatus(err, 409)) throw err;
        }
      }),
    );
  }
  steps.push(
    retry(3, async () => {
      const present = await findHaLeftovers(conn, namespace, clusterId);
      await purgeHaConfigMaps(conn, namespace, present.filter((name) => !keepConfigMaps.includes(name)));
    }),
  );
  const results = await Promise.allSettled(steps);
  for (const r of results) {
    if (r.status === 'rejected') console.error(`rollback of ${namespace}/${clusterId} incomplete`, r.reason instanceof Error ? r.reason.message : r.reason);
  }
}
