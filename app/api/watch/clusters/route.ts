import { withRoute } from '@/lib/api/with-route';
import { createClusterListResponse } from '@/lib/k8s/flink-clusters';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/** GET /api/watch/clusters?context=&namespace= → text/event-stream of ClusterSummary rows (Deployments joined with their pods and ConfigMaps). */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  return createClusterListResponse(request, scope);
});
