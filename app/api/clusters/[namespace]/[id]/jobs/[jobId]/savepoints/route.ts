import { audit } from '@/lib/audit/audit';
import { z } from 'zod';
import { strictObject } from '@/lib/api/strict-object';
import { withRoute } from '@/lib/api/with-route';
import { flinkJobCalls } from '@/lib/jobs/flink-job-calls';
import { parseJobRoute, readBody, requireJob, savepointPathSchema, triggerIdOf, withFlink, type JobRouteContext } from '../../_lib/job-route';

export const dynamic = 'force-dynamic';

const savepointSchema = strictObject({
  targetDirectory: savepointPathSchema.optional(),
  formatType: z.enum(['CANONICAL', 'NATIVE']).default('CANONICAL'),
});

/** POST …/jobs/:jobId/savepoints `{ targetDirectory?, formatType }` → 202 `{ triggerId }`. */
export const POST = withRoute(async (request: Request, context: JobRouteContext) => {
  const { ref, jobId } = await parseJobRoute(request, context);
  const body = await readBody(request, savepointSchema);
  const raw = await audit(
    'job-savepoint',
    { ...ref, detail: `job ${jobId}` },
    async () => {
      await requireJob(ref, jobId);
      return withFlink(ref, jobId, () =>
        flinkJobCalls.triggerSavepoint(ref, jobId, { ...(body.targetDirectory ? { targetDirectory: body.targetDirectory } : {}), formatType: body.formatType }),
      );
    },
    { describe: (r) => `trigger ${triggerIdOf(r)}` },
  );
  return Response.json({ triggerId: triggerIdOf(raw) }, { status: 202 });
});
