import { audit } from '@/lib/audit/audit';
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';
import { withRoute } from '@/lib/api/with-route';
import { flinkJobCalls } from '@/lib/jobs/flink-job-calls';
import { parseJobRoute, readBody, requireJob, triggerIdOf, withFlink, type JobRouteContext } from '../../_lib/job-route';

export const dynamic = 'force-dynamic';

// Manual checkpoints (POST /jobs/:jobid/checkpoints) exist since Flink 1.19, the oldest version the
// dashboard runs, with CONFIGURED, FULL and INCREMENTAL.
const checkpointSchema = strictObject({ checkpointType: z.enum(['CONFIGURED', 'FULL', 'INCREMENTAL']).default('CONFIGURED') });

/** POST …/jobs/:jobId/checkpoints `{ checkpointType }` → 202 `{ triggerId }`. */
export const POST = withRoute(async (request: Request, context: JobRouteContext) => {
  const { ref, jobId } = await parseJobRoute(request, context);
  const body = await readBody(request, checkpointSchema);
  const raw = await audit(
    'job-checkpoint',
    { ...ref, detail: `job ${jobId}` },
    async () => {
      await requireJob(ref, jobId);
      return withFlink(ref, jobId, () => flinkJobCalls.triggerCheckpoint(ref, jobId, { checkpointType: body.checkpointType }));
    },
    { describe: (r) => `trigger ${triggerIdOf(r)}` },
  );
  return Response.json({ triggerId: triggerIdOf(raw) }, { status: 202 });
});
