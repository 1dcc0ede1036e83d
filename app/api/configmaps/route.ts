import { withRoute } from '@/lib/api/with-route';
import { connectionFor, queryOf } from '@/lib/api/clusters/connection-for';
import { namespaceQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { listKeyNames } from '@/lib/k8s/clusters/list-key-names';

export const dynamic = 'force-dynamic';

/** GET /api/configmaps?context=&namespace= → { items: [{ name, type?, keys }] }: names and keys only, never values. */
export const GET = withRoute(async (request: Request) => {
  const conn = connectionFor(request);
  const { namespace } = namespaceQuerySchema.parse(queryOf(request));
  const items = await listKeyNames(conn, 'configmaps', namespace);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
