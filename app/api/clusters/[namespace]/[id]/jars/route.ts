import { audit } from '@/lib/audit/audit';
import { takeUpload } from '@/lib/api/upload-limit';
import { assertKnownQuery } from '@/lib/api/known-query';
import { withRoute } from '@/lib/api/with-route';
import { listClusterJars, uploadClusterJar } from '@/lib/jars/cluster-jars';
import { readMaxJarBytes } from '@/lib/jars/jar-limits';
import { jarUploadQuerySchema } from '@/lib/jars/jar-schemas';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams, type ClusterRouteContext } from '../_lib/cluster-params';

export const dynamic = 'force-dynamic';

/** GET /api/clusters/:namespace/:id/jars?context= → JarListDto: the leader JobManager's jars, or why the cluster takes none. */
export const GET = withRoute(async (request: Request, context: ClusterRouteContext) => {
  const { namespace, id } = await parseClusterParams(context);
  const scope = resolveScope(new URL(request.url).searchParams);
  const list = await listClusterJars({ conn: getConnection(scope.context), namespace, clusterId: id });
  return Response.json(list, { headers: { 'cache-control': 'no-store' } });
});

/**
 * POST /api/clusters/:namespace/:id/jars?context=&name=job.jar, the jar's bytes as the body
 * (application/java-archive or application/octet-stream) → 201 UploadedJarDto. Streamed to the
 * leader JobManager's POST /jars/upload; never buffered.
 */
export const POST = withRoute(async (request: Request, context: ClusterRouteContext) => {
  assertKnownQuery(request, ['context', 'name']);
  const { namespace, id } = await parseClusterParams(context);
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params);
  const { name } = jarUploadQuerySchema.parse({ name: params.get('name') ?? undefined });
  takeUpload(request);
  const length = request.headers.get('content-length');
  const target = { conn: getConnection(scope.context), namespace, clusterId: id };
  const uploaded = await audit('jar-upload', { ...target, detail: `jar ${name}` }, () => uploadClusterJar(
    target,
    {
      body: request.body,
      contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
      fileName: name,
      maxBytes: readMaxJarBytes(),
    },
    request.signal,
  ));
  return Response.json(uploaded, { status: 201, headers: { 'cache-control': 'no-store' } });
});
