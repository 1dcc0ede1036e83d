import 'server-only';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';

/** Deletes the named HA ConfigMaps in parallel; ones already gone count as deleted. */
export async function purgeHaConfigMaps(conn: Connection, namespace: string, names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      try {
        await callK8s(conn, {
          method: 'DELETE',
          path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`,
        });
      } catch (err) {
        if (hasStatus(err, 404)) return;
        throw toK8sApiError(err, { verb: 'delete', resource: 'configmaps', namespace, server: conn.server });
      }
    }),
  );
}
