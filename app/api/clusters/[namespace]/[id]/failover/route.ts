import { z } from 'zod';
import { audit } from '@/lib/audit/audit';
import { strictObject } from '@/lib/api/strict-object';
import { ApiError } from '@/lib/api/api-error';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';
import { failOverLeader, reviewPodDelete } from './fail-over-leader';

export const dynamic = 'force-dynamic';

const failoverBodySchema = strictObject({ pod: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a pod name').max(253).optional() });

/** GET /api/clusters/:namespace/:id/failover?context= → { allowed, reason? }: may this user run Test failover? */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const permission = await reviewPodDelete(getConnection(scope.context), namespace);
  return Response.json(permission, { headers: { 'cache-control': 'no-store' } });
});

/**
 * POST /api/clusters/:namespace/:id/failover?context= { pod? } → { deletedPod }: deletes the current
 * leader JobManager pod (the one named `pod`, if given, else 409), after a SelfSubjectAccessReview.
 */
export const POST = withRoute(async (request: Request, context: ClusterRouteContext) => {
  assertKnownQuery(request, ['context']);
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const json = await readJsonBody(request, { emptyAs: {} });
  const body = failoverBodySchema.parse(json);
  const conn = getConnection(scope.context);
  const result = await audit('test-failover', { conn, namespace, clusterId: id }, async () => {
    const permission = await reviewPodDelete(conn, namespace);
    if (!permission.allowed) throw new ApiError('forbidden', permission.reason ?? `You may not delete pods in namespace ${namespace}.`);
    return failOverLeader(conn, namespace, id, body.pod);
  }, { event: 'failure-only' });
  return Response.json(result, { status: 202 });
});
