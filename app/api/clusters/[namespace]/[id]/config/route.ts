import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { readFlinkConfigFile } from '@/lib/k8s/pod-logs-config';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';

export const dynamic = 'force-dynamic';

/** GET /api/clusters/:namespace/:id/config?context= → the config.yaml (or flink-conf.yaml) of ConfigMap flink-config-<id>, sensitive values hidden. */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const file = await readFlinkConfigFile(getConnection(scope.context), namespace, id);
  return Response.json(file, { headers: { 'cache-control': 'no-store' } });
});
