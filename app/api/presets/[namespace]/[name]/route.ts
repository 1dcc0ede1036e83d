import { z } from 'zod';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { namespaceQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { presetNameSchema } from '@/lib/k8s/clusters/preset-schema';
import { deletePreset } from '@/lib/k8s/clusters/presets';

export const dynamic = 'force-dynamic';

const paramsSchema = namespaceQuerySchema.extend({ name: presetNameSchema });

/** DELETE /api/presets/:namespace/:name?context= → 204 */
export const DELETE = withRoute(async (request: Request, context: { params: Promise<{ namespace: string; name: string }> }) => {
  assertKnownQuery(request, ['context']);
  const conn = connectionFor(request);
  const { namespace, name }: z.infer<typeof paramsSchema> = paramsSchema.parse(await context.params);
  await deletePreset(conn, namespace, name);
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
});
