import { withRoute } from '@/lib/api/with-route';
import { readFlinkRestSnapshot } from '@/lib/flink-rest/snapshot';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';

export const dynamic = 'force-dynamic';

/**
 * GET /api/clusters/:namespace/:id/flink?context= → FlinkRestSnapshot: the Flink version (/config),
 * overview and jobs (/jobs/overview) through the service proxy with the typed Flink REST client
 * (lib/flink-rest), or `{ reachable: false, message }` in plain words.
 */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const snapshot = await readFlinkRestSnapshot(getConnection(scope.context), namespace, id);
  return Response.json(snapshot, { headers: { 'cache-control': 'no-store' } });
});
