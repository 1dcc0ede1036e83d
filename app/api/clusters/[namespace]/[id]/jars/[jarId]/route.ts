import { audit } from '@/lib/audit/audit';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { deleteClusterJar } from '@/lib/jars/cluster-jars';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseJarParams, type JarRouteContext } from '../_lib/jar-params';

export const dynamic = 'force-dynamic';

/** DELETE /api/clusters/:namespace/:id/jars/:jarId?context= → 204, or 404 when the leader JobManager has no such jar. */
export const DELETE = withRoute(async (request: Request, context: JarRouteContext) => {
  assertKnownQuery(request, ['context']);
  const { namespace, id, jarId } = await parseJarParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const target = { conn: getConnection(scope.context), namespace, clusterId: id };
  await audit('jar-delete', { ...target, detail: `jar ${jarId}` }, () => deleteClusterJar(target, jarId));
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
});
