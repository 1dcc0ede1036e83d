import { ApiError } from '@/lib/api/api-error';
import { isAllNamespaces } from '@/lib/api/scope';
import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { readPermissions } from '@/lib/k8s/permissions';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/**
 * GET /api/permissions?context=&namespace= → PermissionsDto: which dashboard actions (create/delete
 * cluster, purge HA data, test failover, jars, job cancel/stop, logs, the Flink web UI) the signed-in user may do in
 * the namespace, each with the reason when not. For showing and hiding only: every action's route
 * still gets Kubernetes' own answer.
 */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  if (isAllNamespaces(scope.namespace)) {
    throw new ApiError('invalid_input', 'Permissions are per namespace: choose a namespace.', {
      issues: [{ path: 'namespace', message: 'Choose one namespace; rights differ from namespace to namespace.' }],
    });
  }
  const permissions = await readPermissions(getConnection(scope.context), scope.namespace);
  return Response.json(permissions, { headers: { 'cache-control': 'no-store' } });
});
