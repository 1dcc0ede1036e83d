import { toClusterSummary } from '@/lib/flink/cluster-summary';
import { withRoute } from '@/lib/api/with-route';
import { toClusterInformerSpec } from '@/lib/k8s/flink-clusters';
import { resolveScope } from '@/lib/k8s/scope';
import { createWatchResponse } from '@/lib/k8s/watch-response';

export const dynamic = 'force-dynamic';

/** GET /api/watch/clusters?context=&namespace= → text/event-stream of ClusterSummary events. */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  return createWatchResponse({ request, spec: toClusterInformerSpec(scope), toDto: toClusterSummary });
});
