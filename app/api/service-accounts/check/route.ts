import { withRoute } from '@/lib/api/with-route';
import { connectionFor, queryOf } from '@/lib/api/clusters/connection-for';
import { serviceAccountCheckQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { checkServiceAccount } from '@/lib/k8s/clusters/check-service-account';

export const dynamic = 'force-dynamic';

/**
 * GET /api/service-accounts/check?context=&namespace=&name=[&ha=true]
 * → { name, exists, missing: [{ verb, group, resource }] } (one SubjectAccessReview per right, in parallel).
 */
export const GET = withRoute(async (request: Request) => {
  const conn = connectionFor(request);
  const q = serviceAccountCheckQuerySchema.parse(queryOf(request));
  const result = await checkServiceAccount(conn, q.namespace, q.name, { ha: { enabled: q.ha === 'true' } });
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
});
