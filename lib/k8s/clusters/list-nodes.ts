import 'server-only';
import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s, hasStatus } from './k8s-call';

const nodeListSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
      spec: z
        .object({
          taints: z.array(z.object({ key: z.string(), value: z.string().optional(), effect: z.string() })).optional(),
        })
        .optional(),
    }),
  ),
});

export type NodeSummary = { name: string; labels: Record<string, string>; taints: { key: string; value?: string; effect: string }[] };

/** Node names, labels and taints for the node-selector and toleration editors. */
export async function listNodes(conn: Connection): Promise<NodeSummary[]> {
  try {
    const list = nodeListSchema.parse(await callK8s(conn, { method: 'GET', path: '/api/v1/nodes', timeoutMs: 10_000 }));
    return list.items
      .map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {}, taints: n.spec?.taints ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    if (hasStatus(err, 403)) {
      throw new ApiError('forbidden', 'You may not list nodes (a cluster-wide right), so node labels and taints cannot be offered: type them instead.');
    }
    throw toK8sApiError(err, { verb: 'list', resource: 'nodes', server: conn.server });
  }
}
