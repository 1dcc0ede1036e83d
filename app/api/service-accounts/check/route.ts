import { withRoute } from '@/lib/api/with-route';
import { connectionFor, queryOf } from '@/lib/api/clusters/connection-for';
import { serviceAccountCheckQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { checkServiceAccount } from '@/lib/k8s/clusters/check-service-account';

export const dynamic = 'force-dynamic';

/**
 * GET /api/service-accounts/check?context=&namespace=&name=[&ha=true]
 * → { name, exists, missing: [{ verb, group, resource }] } (one SubjectAccessReview per right, in parallel).
 */
export const GET = withRoute(async (request: Request) => {
  const conn = connectionFor(request);
  const q = serviceAccountCheckQuerySchema.parse(queryOf(request));
  // The rights depend on the spec (HA adds ConfigMaps); a minimal one stands for "a cluster with/without HA".
  const spec = clusterSpecSchema.parse({
    clusterId: 'check',
    namespace: q.namespace,
    serviceAccount: q.name,
    ha: q.ha === 'true' ? { enabled: true, storageDir: 's3://check/ha' } : { enabled: false },
  });
  const result = await checkServiceAccount(conn, q.namespace, q.name, spec);
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
});
