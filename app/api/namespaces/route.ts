import { withRoute } from '@/lib/api/with-route';
import { listNamespaceNames } from '@/lib/k8s/namespaces';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/** GET /api/namespaces?context= → { items: string[] } (403 when the context may not list namespaces). */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  const items = await listNamespaceNames(scope.context);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
