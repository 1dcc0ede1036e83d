import { z } from 'zod';
import { audit } from '@/lib/audit/audit';
import { strictObject } from '@/lib/api/strict-object';
import { ApiError } from '@/lib/api/api-error';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { readBodyText } from '@/lib/api/clusters/read-json-body';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { deleteCluster } from '@/lib/k8s/clusters/delete-cluster';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { toClusterSources } from './_lib/cluster-informers';
import { parseClusterParams, type ClusterRouteContext } from './_lib/cluster-params';
import { listClusterObjects } from './_lib/cluster-watch-response';

export const dynamic = 'force-dynamic';

/** GET /api/clusters/:namespace/:id?context= → { items: ClusterObject[] } (Deployment, ReplicaSets, pods, ConfigMaps, Services, Warning and Normal events). */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const items = await listClusterObjects(toClusterSources(getConnection(scope.context), namespace, id));
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});

const deleteBodySchema = strictObject({ purgeHaData: z.boolean({ message: 'purgeHaData must be true or false' }) });

/** The body `{ purgeHaData }`, or `?purgeHaData=true|false` when there is no body. Bad input is a 400. */
async function readDeleteOptions(request: Request): Promise<z.infer<typeof deleteBodySchema>> {
  const text = await readBodyText(request);
  let raw: unknown;
  if (text.trim() === '') {
    const q = new URL(request.url).searchParams.get('purgeHaData');
    raw = { purgeHaData: q === 'true' ? true : q === 'false' ? false : q ?? undefined };
  } else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError('bad_request', 'The request body is not valid JSON.');
    }
  }
  const parsed = deleteBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new ApiError('bad_request', `Say whether to delete the HA data too: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}.`, { issues });
  }
  return parsed.data;
}

/**
 * DELETE /api/clusters/:namespace/:id?context= with `{ purgeHaData: boolean }` → 200 DeleteResult.
 * Foreground delete of the JobManager Deployment; HA ConfigMaps only when purgeHaData. A cluster that
 * is already gone is a 200 with a note; a refused right is a 403 and nothing changes.
 */
export const DELETE = withRoute(async (request: Request, context: ClusterRouteContext) => {
  assertKnownQuery(request, ['context', 'purgeHaData']);
  const { namespace, id } = await parseClusterParams(context);
  const options = await readDeleteOptions(request);
  const conn = connectionFor(request);
  const result = await audit('delete', { conn, namespace, clusterId: id }, () => deleteCluster(conn, namespace, id, options), {
    uid: 'before',
    // Already gone and nothing purged: nothing changed, nothing is written (the log line stays).
    changedNothing: (r) => r.alreadyGone && r.purgedConfigMaps.length === 0,
  });
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
});
