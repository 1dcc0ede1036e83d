import 'server-only';
import { logger } from '@/lib/log';
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

async function waitUntilGone(conn: Connection, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await callK8s(conn, { method: 'GET', path });
    } catch (err) {
      if (hasStatus(err, 404)) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Removes what a failed create made: the Deployment (Foreground, so the API server keeps it until
 * its owned Services and ConfigMaps are gone; the uid precondition spares a cluster someone else
 * made meanwhile; this waits up to 60 s for that to finish), then every HA ConfigMap of the id
 * that was not there when the create began.
 * The shared ServiceAccount, Role and RoleBinding stay. Errors are logged: the create's own error
 * is what the user sees.
 */
export async function rollbackCluster(
  conn: Connection,
  target: { namespace: string; clusterId: string; deploymentUid?: string; keepConfigMaps: readonly string[]; highAvailability: boolean },
): Promise<void> {
  const { namespace, clusterId, deploymentUid, keepConfigMaps, highAvailability } = target;
  // Without our Deployment no JobManager of ours ran: HA ConfigMaps of the id then belong to
  // someone else (e.g. a cluster of the same id created concurrently) and stay.
  if (!deploymentUid) return;
  const deploymentPath = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(clusterId)}`;
  const steps: Promise<unknown>[] = [];
  // true once the API server accepted the delete of our Deployment (404: gone; 409: not ours).
  const deleted = retry(3, async () => {
    try {
      await callK8s(conn, {
        method: 'DELETE',
        path: deploymentPath,
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: deploymentUid } },
      });
      return true;
    } catch (err) {
      if (!hasStatus(err, 404) && !hasStatus(err, 409)) throw err;
      return false;
    }
  });
  // The answer waits until the Foreground delete has finished (pods, ConfigMaps and Services gone):
  // when the form says "not created", nothing is left, and Create with the same id works at once.
  steps.push(deleted.then((accepted) => (accepted ? waitUntilGone(conn, deploymentPath, 60_000) : undefined)));
  steps.push(
    retry(3, async () => {
      // A running HA JobManager may (re)create its leader ConfigMap until its pod is gone: wait for
      // the Foreground delete to finish before removing the HA ConfigMaps.
      if (highAvailability) {
        await deleted.catch(() => undefined);
        await waitUntilGone(conn, deploymentPath, 60_000);
      }
      const present = await findHaLeftovers(conn, namespace, clusterId);
      await purgeHaConfigMaps(conn, namespace, present.filter((name) => !keepConfigMaps.includes(name)));
    }),
  );
  const results = await Promise.allSettled(steps);
  for (const r of results) {
    if (r.status === 'rejected') logger.error('rollback incomplete', { namespace, clusterId, err: r.reason });
  }
}
