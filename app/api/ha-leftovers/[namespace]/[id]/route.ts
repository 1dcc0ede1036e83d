import { audit } from '@/lib/audit/audit';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { purgeHaLeftover } from '@/lib/k8s/clusters/delete-leftovers';
import { parseClusterParams, type ClusterRouteContext } from '../../../clusters/[namespace]/[id]/_lib/cluster-params';

export const dynamic = 'force-dynamic';

/** DELETE /api/ha-leftovers/:namespace/:id?context= → { purged: string[] }; 409 while the cluster exists. */
export const DELETE = withRoute(async (request: Request, context: ClusterRouteContext) => {
  assertKnownQuery(request, ['context']);
  const { namespace, id } = await parseClusterParams(context);
  const conn = connectionFor(request);
  const purged = await audit('purge-ha', { conn, namespace, clusterId: id }, () => purgeHaLeftover(conn, namespace, id), {
    uid: 'none',
    // Nothing left to purge: nothing changed, so nothing is written to the cluster (the log line stays).
    changedNothing: (names) => names.length === 0,
  });
  return Response.json({ namespace, clusterId: id, purged }, { headers: { 'cache-control': 'no-store' } });
});
