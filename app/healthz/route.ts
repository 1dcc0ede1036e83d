export const dynamic = 'force-dynamic';

/**
 * GET /healthz (liveness): 200 while the process serves HTTP. Checks nothing else on purpose: an API
 * server outage must not make Kubernetes restart every replica (that is /readyz's job). Public.
 */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
