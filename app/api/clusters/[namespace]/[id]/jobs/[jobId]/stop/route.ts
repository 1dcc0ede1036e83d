import { audit } from '@/lib/audit/audit';
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';
import { withRoute } from '@/lib/api/with-route';
import { flinkJobCalls } from '@/lib/jobs/flink-job-calls';
import { parseJobRoute, readBody, requireJob, savepointPathSchema, triggerIdOf, withFlink, type JobRouteContext } from '../../_lib/job-route';

export const dynamic = 'force-dynamic';

const stopSchema = strictObject({
  targetDirectory: savepointPathSchema.optional(),
  drain: z.boolean().default(false),
  formatType: z.enum(['CANONICAL', 'NATIVE']).default('CANONICAL'),
});

/**
 * POST …/jobs/:jobId/stop `{ targetDirectory?, drain, formatType }` → 202 `{ triggerId }`: stop with a
 * savepoint; follow it with GET …/savepoints/:triggerId.
 */
export const POST = withRoute(async (request: Request, context: JobRouteContext) => {
  const { ref, jobId } = await parseJobRoute(request, context);
  const body = await readBody(request, stopSchema);
  const raw = await audit(
    'job-stop',
    { ...ref, detail: `job ${jobId}` },
    async () => {
      await requireJob(ref, jobId);
      return withFlink(ref, jobId, () =>
        flinkJobCalls.stopWithSavepoint(ref, jobId, { ...(body.targetDirectory ? { targetDirectory: body.targetDirectory } : {}), drain: body.drain, formatType: body.formatType }),
      );
    },
    { describe: (r) => `trigger ${triggerIdOf(r)}` },
  );
  return Response.json({ triggerId: triggerIdOf(raw) }, { status: 202 });
});
