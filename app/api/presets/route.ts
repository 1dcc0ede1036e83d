import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { connectionFor, queryOf } from '@/lib/api/clusters/connection-for';
import { namespaceQuerySchema } from '@/lib/api/clusters/create-cluster-request';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { savePresetRequestSchema } from '@/lib/k8s/clusters/preset-schema';
import { listPresets, savePreset } from '@/lib/k8s/clusters/presets';

export const dynamic = 'force-dynamic';

/** GET /api/presets?context=&namespace= → { items: [{ name, spec, createdAt }] } */
export const GET = withRoute(async (request: Request) => {
  const conn = connectionFor(request);
  const { namespace } = namespaceQuerySchema.parse(queryOf(request));
  const items = await listPresets(conn, namespace);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});

/** POST /api/presets?context= body { namespace, name, spec } → 201 { name, spec, createdAt } */
export const POST = withRoute(async (request: Request) => {
  assertKnownQuery(request, ['context']);
  const conn = connectionFor(request);
  const { namespace, name, spec } = savePresetRequestSchema.parse(await readJsonBody(request));
  const preset = await savePreset(conn, namespace, name, spec);
  return Response.json(preset, { status: 201, headers: { 'cache-control': 'no-store' } });
});
