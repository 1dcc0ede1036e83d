import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { openPodLog, podLogQuerySchema, podNameSchema } from '@/lib/k8s/pod-logs';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams } from '../../../_lib/cluster-params';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ namespace: string; id: string; pod: string }> };

/**
 * GET /api/clusters/:namespace/:id/pods/:pod/log?context=&container=&tailLines=&previous=&follow=&download=
 * → text/plain, streamed from the API server as it arrives (follow: until the browser goes away or
 * the container stops). download=1: the whole log as an attachment. Only pods of this cluster.
 */
export const GET = withRoute(async (request: Request, context: Context) => {
  const params = await context.params;
  const { namespace, id } = await parseClusterParams({ params: Promise.resolve(params) });
  const pod = podNameSchema.parse(params.pod);
  const search = new URL(request.url).searchParams;
  const query = podLogQuerySchema.parse({
    container: search.get('container') || undefined,
    tailLines: search.get('tailLines') || undefined,
    previous: search.get('previous') ?? undefined,
    follow: search.get('follow') ?? undefined,
    download: search.get('download') ?? undefined,
  });
  const scope = resolveScope(search);
  const log = await openPodLog(getConnection(scope.context), { namespace, clusterId: id, pod }, query, request.signal);
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    // no-transform keeps the compression middleware from buffering a followed log.
    'cache-control': 'no-store, no-transform',
    'x-content-type-options': 'nosniff',
    'x-log-container': log.container,
  };
  if (query.download) {
    headers['content-disposition'] = `attachment; filename="${pod}-${log.container}${query.previous ? '-previous' : ''}.log"`;
  }
  return new Response(log.body, { status: 200, headers });
});
