import { withRoute } from '@/lib/api/with-route';
import { withSyncedInformer } from '@/lib/k8s/informer-registry';
import { resolveScope } from '@/lib/k8s/scope';
import { toHaHealthSources } from './ha-health-sources';

export const dynamic = 'force-dynamic';

/** GET /api/ha-health?context=&namespace= → { items }: HA lock ConfigMaps and JobManager pods in scope, for the cluster list. */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  const lists = await Promise.all(
    toHaHealthSources(scope).map((s) => withSyncedInformer(s.spec, (informer) => informer.list().filter(s.accept ?? (() => true)).map(s.toDto))),
  );
  return Response.json({ items: lists.flat() }, { headers: { 'cache-control': 'no-store' } });
});
