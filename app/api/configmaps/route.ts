import { withRoute } from '@/lib/api/with-route';
import { connectionFor, queryOf } from '@/lib/api/clusters/connection-for';
import { namespaceQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { hadoopConfCandidates } from '@/lib/k8s/clusters/hadoop-conf-candidates';
import { listKeyNames } from '@/lib/k8s/clusters/list-key-names';

export const dynamic = 'force-dynamic';

/**
 * GET /api/configmaps?context=&namespace= → { items: [{ name, keys }] }: the ConfigMaps that could
 * be a Hadoop configuration (the form's only ConfigMap chooser), those with core-site.xml or
 * hdfs-site.xml first; never kube-root-ca.crt, Flink's own or the dashboard's presets. Names and
 * keys only, never values.
 */
export const GET = withRoute(async (request: Request) => {
  const conn = connectionFor(request);
  const { namespace } = namespaceQuerySchema.parse(queryOf(request));
  const items = await listKeyNames(conn, 'configmaps', namespace, hadoopConfCandidates);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
