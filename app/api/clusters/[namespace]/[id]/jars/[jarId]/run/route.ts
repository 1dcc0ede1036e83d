import { audit } from '@/lib/audit/audit';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { runClusterJar } from '@/lib/jars/cluster-jars';
import { jarRunSchema } from '@/lib/jars/jar-schemas';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseJarParams, type JarRouteContext } from '../../_lib/jar-params';

export const dynamic = 'force-dynamic';

/**
 * POST /api/clusters/:namespace/:id/jars/:jarId/run?context= with a JarRunInput → 201 { jobId }.
 * The job id comes from the browser, so a retry or a double click submits one job: the second
 * answer is 409 with `details.alreadySubmitted`.
 */
export const POST = withRoute(async (request: Request, context: JarRouteContext) => {
  assertKnownQuery(request, ['context']);
  const { namespace, id, jarId } = await parseJarParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const input = jarRunSchema.parse(await readJsonBody(request));
  const target = { conn: getConnection(scope.context), namespace, clusterId: id };
  const result = await audit('jar-run', { ...target, detail: `jar ${jarId}` }, () => runClusterJar(target, jarId, input), {
    describe: (r) => `job ${r.jobId}`,
  });
  return Response.json(result, { status: 201, headers: { 'cache-control': 'no-store' } });
});
