import { ApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { createJobStreamResponse } from '@/lib/jobs/job-stream';
import { JOB_ID } from '@/lib/jobs/job-views';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../../_lib/cluster-params';

export const dynamic = 'force-dynamic';

/**
 * GET /api/clusters/:namespace/:id/jobs/watch?context=&job= → text/event-stream from the cluster's
 * shared job poller: `jobs` (JobsList) and, with `job`, `job` (JobView), each when it changed.
 */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params);
  const job = params.get('job') ?? undefined;
  if (job !== undefined && !JOB_ID.test(job)) {
    throw new ApiError('invalid_input', 'A job id is 32 hexadecimal digits.', { issues: [{ path: 'job', message: 'A job id is 32 hexadecimal digits.' }] });
  }
  return createJobStreamResponse(request, { conn: getConnection(scope.context), namespace, clusterId: id }, job?.toLowerCase());
});
