import { z } from 'zod';
import { withRoute } from '@/lib/api/with-route';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { objectKindSchema, readObjectYaml } from '@/lib/k8s/pod-logs-config';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../../_lib/cluster-params';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  kind: objectKindSchema,
  name: z.string().regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'must be an object name').max(253),
});

/**
 * GET /api/clusters/:namespace/:id/config/object?context=&kind=&name= → { yaml }: one of the
 * cluster's objects (Deployment, ReplicaSet, Pod, Service, ConfigMap; never a Secret) as YAML,
 * without managedFields.
 */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const search = new URL(request.url).searchParams;
  const { kind, name } = querySchema.parse({ kind: search.get('kind') ?? undefined, name: search.get('name') ?? undefined });
  const scope = resolveScope(search);
  const yaml = await readObjectYaml(getConnection(scope.context), namespace, id, kind, name);
  return Response.json({ kind, name, yaml }, { headers: { 'cache-control': 'no-store' } });
});
