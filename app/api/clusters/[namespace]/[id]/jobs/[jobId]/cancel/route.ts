import { audit } from '@/lib/audit/audit';
import { ApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { flinkJobCalls } from '@/lib/jobs/flink-job-calls';
import { parseJobRoute, requireJob, TERMINAL, withFlink, type JobRouteContext } from '../../_lib/job-route';

export const dynamic = 'force-dynamic';

/** POST …/jobs/:jobId/cancel → 202 `{ accepted: true }`; the job's way to CANCELED shows in the job stream. */
export const POST = withRoute(async (request: Request, context: JobRouteContext) => {
  const { ref, jobId } = await parseJobRoute(request, context);
  await audit('job-cancel', { ...ref, detail: `job ${jobId}` }, async () => {
    const job = (await requireJob(ref, jobId)) as { state?: string };
    if (job.state && TERMINAL.includes(job.state)) {
      throw new ApiError('conflict', `Job ${jobId} has already ended (${job.state}); there is nothing to cancel.`);
    }
    await withFlink(ref, jobId, () => flinkJobCalls.cancel(ref, jobId));
  });
  return Response.json({ accepted: true }, { status: 202 });
});
