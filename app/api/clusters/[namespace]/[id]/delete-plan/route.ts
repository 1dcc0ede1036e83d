import { connectionFor } from '@/lib/api/clusters/connection-for';
import { withRoute } from '@/lib/api/with-route';
import { buildDeletePlan } from '@/lib/k8s/clusters/delete-plan';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';

export const dynamic = 'force-dynamic';

/** GET /api/clusters/:namespace/:id/delete-plan?context= → DeletePlan: what a delete removes and what it keeps. */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const plan = await buildDeletePlan(connectionFor(request), namespace, id);
  return Response.json(plan, { headers: { 'cache-control': 'no-store' } });
});
