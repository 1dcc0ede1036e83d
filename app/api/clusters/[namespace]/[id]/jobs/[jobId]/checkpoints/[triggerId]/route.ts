import { withRoute } from '@/lib/api/with-route';
import { flinkJobCalls } from '@/lib/jobs/flink-job-calls';
import { toOperationStatus } from '@/lib/jobs/job-views';
import { parseJobRoute, withFlink, type TriggerRouteContext } from '../../../_lib/job-route';

export const dynamic = 'force-dynamic';

/** GET …/jobs/:jobId/checkpoints/:triggerId → OperationStatus of a manual checkpoint. */
export const GET = withRoute(async (request: Request, context: TriggerRouteContext) => {
  const { ref, jobId, triggerId } = await parseJobRoute(request, context);
  const raw = await withFlink(ref, jobId, () => flinkJobCalls.checkpointStatus(ref, jobId, triggerId!), `There is no checkpoint operation ${triggerId} for job ${jobId} (the JobManager keeps them only for a while, and forgets them when it restarts).`);
  return Response.json(toOperationStatus(raw), { headers: { 'cache-control': 'no-store' } });
});
