import { Readable } from 'node:stream';
import fetch from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import { withRoute } from '@/lib/api/with-route';
import { serviceProxyBase } from '@/lib/flink-rest/transport';
import { explainProxyError, FlinkCallError, toJobApiError } from '@/lib/jobs/flink-job-calls';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { connectionInit } from '@/lib/k8s/request';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams } from '../../_lib/cluster-params';
import { toErrorCode } from '@/lib/api/error-codes';

const MAX_QUERY_CHARS = 4096;

export const dynamic = 'force-dynamic';

/** Route params may arrive percent-encoded; a literal `%` that is not an escape stays as it is. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Context = { params: Promise<{ namespace: string; id: string; path?: string[] }> };

// Headers of the JobManager's answer worth passing on; cookies and hop-by-hop headers are not.
const PASS_HEADERS = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'expires', 'content-encoding'];

/**
 * GET /api/clusters/:namespace/:id/flink-ui/[...path] → the JobManager's own web UI (and its REST
 * API, which the UI calls with relative URLs), through the API server's proxy to `<id>-rest`, which
 * routes to a live JobManager, also after a leader change. The UI is opened at `flink-ui/index.html`
 * (`flink-ui/@<context>/index.html` for a kubeconfig context other than the current one), so its
 * relative asset links (`styles.css`, `main.js`) and REST calls resolve under it. Read-only: the
 * UI's own buttons that change things (cancel, upload) are the dashboard's job.
 * The UI runs sandboxed (an opaque origin), so its scripts cannot use the dashboard's own API.
 */
async function proxy(request: Request, context: Context): Promise<Response> {
  const params = await context.params;
  const { namespace, id } = await parseClusterParams({ params: Promise.resolve(params) });
  let segments = (params.path ?? []).map(safeDecode);
  const url = new URL(request.url);
  // The kubeconfig context rides in the path (`flink-ui/@<context>/…`), so the UI's relative links keep it.
  let kubeContext = url.searchParams.get('context') ?? undefined;
  if (segments[0]?.startsWith('@')) {
    kubeContext = segments[0].slice(1);
    segments = segments.slice(1);
  }
  if (segments.length === 0) {
    return new Response(null, { status: 307, headers: { location: `${url.pathname.replace(/\/?$/, '/')}index.html${url.search}` } });
  }
  if (segments.some((s) => s === '.' || s === '..' || s === '')) throw new ApiError('bad_request', 'The path must not contain "." or ".." segments.');
  const scope = resolveScope(kubeContext === undefined ? {} : { context: kubeContext });
  const conn = getConnection(scope.context);
  const ref = { conn, namespace, clusterId: id };
  // The dashboard's own query parameter (context) stays here; the rest goes to Flink.
  const forward = new URLSearchParams(url.searchParams);
  forward.delete('context');
  const query = forward.toString();
  // Flink's UI asks short queries; a long one would exceed the API server's limit on a request line
  // (it answers 414/431 with no body), so refuse it here, in words.
  if (query.length > MAX_QUERY_CHARS) throw new ApiError('bad_request', `The query is too long for the Flink UI proxy (${query.length} characters; at most ${MAX_QUERY_CHARS}).`);
  const target = `${conn.server}${serviceProxyBase(namespace, id)}/${segments.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
  const { agent, headers: upstreamHeaders } = await connectionInit(conn, { accept: request.headers.get('accept') ?? '*/*' });
  let res;
  try {
    res = await fetch(target, {
      agent,
      method: request.method,
      headers: upstreamHeaders,
      redirect: 'manual',
      compress: false,
      timeout: 30_000,
    });
  } catch {
    throw new ApiError('unavailable', `Cannot reach the Kubernetes API server at ${conn.server}.`);
  }
  const status = res.headers.get('content-type')?.includes('application/json') && !res.ok ? await res.clone().json().catch(() => undefined) : undefined;
  if (status && typeof status === 'object' && (status as { kind?: unknown }).kind === 'Status') {
    // The API server's refusal (no REST Service, no endpoints yet): the dashboard's plain message.
    const message = typeof (status as { message?: unknown }).message === 'string' ? (status as { message: string }).message : '';
    throw toJobApiError(await explainProxyError(ref, new FlinkCallError(message, res.status, 'apiserver')), ref);
  }
  if (res.status >= 400 && !res.headers.get('content-type')) {
    // Not Flink's answer (Flink always names its content type) nor a Status: an empty refusal on the way.
    throw new ApiError(toErrorCode(res.status), `The Kubernetes API server's proxy answered HTTP ${res.status} without saying why.`);
  }
  const headers = new Headers();
  for (const h of PASS_HEADERS) {
    const v = res.headers.get(h);
    if (v) headers.set(h, v);
  }
  headers.set('content-security-policy', "sandbox allow-scripts allow-forms allow-popups allow-downloads; frame-ancestors 'none'");
  headers.set('access-control-allow-origin', '*');
  headers.set('x-content-type-options', 'nosniff');
  const body = request.method === 'HEAD' || res.status === 204 || res.status === 304 ? null : (Readable.toWeb(res.body as unknown as Readable) as ReadableStream<Uint8Array>);
  return new Response(body, { status: res.status, headers });
}

export const GET = withRoute(proxy);
export const HEAD = withRoute(proxy);
