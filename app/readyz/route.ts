import { checkReadiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

/**
 * GET /readyz (readiness): 200 when the server is not shutting down, the kubeconfig loads and the
 * API server answers; else 503 with the failed check in plain words. Public; no secrets in it.
 */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return Response.json({ status: readiness.ready ? 'ok' : 'unavailable', checks: readiness.checks }, { status: readiness.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
