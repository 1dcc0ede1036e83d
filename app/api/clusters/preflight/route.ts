import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { preflightCluster } from '@/lib/k8s/clusters/preflight-cluster';

export const dynamic = 'force-dynamic';

/**
 * POST /api/clusters/preflight?context= body ClusterSpecInput
 * → 200 { spec, objects, yaml, cli, warnings, haLeftovers, serviceAccount }; 422 issues; 409 taken id.
 */
export const POST = withRoute(async (request: Request) => {
  assertKnownQuery(request, ['context']);
  const conn = connectionFor(request);
  const spec = clusterSpecSchema.parse(await readJsonBody(request));
  const { report } = await preflightCluster(conn, spec);
  return Response.json(report, { headers: { 'cache-control': 'no-store' } });
});
