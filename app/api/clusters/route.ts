import { withRoute } from '@/lib/api/with-route';
import { listClusterSummaries } from '@/lib/k8s/flink-clusters';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/** GET /api/clusters?context=&namespace= → { items: ClusterSummary[] } */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  const items = await listClusterSummaries(scope);
  return Response.json({ items, scope }, { headers: { 'cache-control': 'no-store' } });
});
