import 'server-only';
import { z } from 'zod';
import { LABEL_TYPE_NATIVE_TYPE } from '@/lib/flink/labels';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s } from './k8s-call';

const configMapListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string() }) })),
});

/**
 * Flink's HA ConfigMaps for a cluster id: `<id>-cluster-config-map` and the per-job
 * `<id>-<jobId>-config-map`. 1.19+ label them app=<id>, type=flink-native-kubernetes
 * (configmap-type=high-availability on 1.x only), so the label selector works for every version.
 */
export function isHaConfigMapName(clusterId: string, name: string): boolean {
  return name.startsWith(`${clusterId}-`) && name.endsWith('-config-map');
}

/** Names of the HA ConfigMaps left by an earlier cluster with this id, sorted. */
export async function findHaLeftovers(conn: Connection, namespace: string, clusterId: string): Promise<string[]> {
  try {
    const list = configMapListSchema.parse(
      await callK8s(conn, {
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`,
        query: { labelSelector: `app=${clusterId},type=${LABEL_TYPE_NATIVE_TYPE}` },
      }),
    );
    return list.items.map((c) => c.metadata.name).filter((name) => isHaConfigMapName(clusterId, name)).sort();
  } catch (err) {
    throw toK8sApiError(err, { verb: 'list', resource: 'configmaps', namespace, server: conn.server });
  }
}
