import { audit } from '@/lib/audit/audit';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { haLeftoverChoiceSchema } from '@/lib/api/clusters/create-cluster-request';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { createCluster } from '@/lib/k8s/clusters/create-cluster';
import { listClusterSummaries } from '@/lib/k8s/flink-clusters';
import { resolveScope } from '@/lib/k8s/scope';

export const dynamic = 'force-dynamic';

/** GET /api/clusters?context=&namespace= → { items: ClusterSummary[] } */
export const GET = withRoute(async (request: Request) => {
  assertKnownQuery(request, ['context', 'namespace']);
  const scope = resolveScope(new URL(request.url).searchParams);
  const items = await listClusterSummaries(scope);
  return Response.json({ items, scope }, { headers: { 'cache-control': 'no-store' } });
});

/**
 * POST /api/clusters?context= body ClusterSpecInput & { haLeftovers?: 'recover' | 'purge' }
 * → 201 { namespace, clusterId, uid }; 409 for a taken id or HA leftovers (details.haLeftovers).
 */
export const POST = withRoute(async (request: Request) => {
  assertKnownQuery(request, ['context']);
  const conn = connectionFor(request);
  const body = await readJsonBody(request);
  // The spec and the HA-leftover choice share the body; each refuses fields that are neither.
  if (!body || typeof body !== 'object' || Array.isArray(body)) return clusterSpecSchema.parse(body) as never;
  const { haLeftovers: choice, ...specFields } = body as Record<string, unknown>;
  const spec = clusterSpecSchema.parse(specFields);
  const { haLeftovers } = haLeftoverChoiceSchema.parse(choice === undefined ? {} : { haLeftovers: choice });
  const created = await audit('create', { conn, namespace: spec.namespace, clusterId: spec.clusterId }, () => createCluster(conn, spec, haLeftovers), { uid: (c) => c.uid });
  return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
