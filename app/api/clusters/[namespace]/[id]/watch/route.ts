import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { toClusterSources } from '../_lib/cluster-informers';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';
import { createClusterWatchResponse } from '../_lib/cluster-watch-response';

export const dynamic = 'force-dynamic';

/** GET /api/clusters/:namespace/:id/watch?context= → text/event-stream of ClusterObject events. */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  return createClusterWatchResponse(request, toClusterSources(getConnection(scope.context), namespace, id));
});
