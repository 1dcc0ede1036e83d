import { withRoute } from '@/lib/api/with-route';
import { listHaLeftovers } from '@/lib/k8s/clusters/delete-leftovers';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/** GET /api/ha-leftovers?context=&namespace= → { items: HaLeftover[] }: HA ConfigMaps whose cluster is gone. */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  const items = await listHaLeftovers(getConnection(scope.context), scope.namespace);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
