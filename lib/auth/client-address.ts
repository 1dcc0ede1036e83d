/**
 * The client's address for rate limits: the entry of X-Forwarded-For added by the nearest trusted
 * hop. FLINK_DASHBOARD_TRUSTED_PROXY_HOPS (default 0) is how many proxies (an ingress, a load
 * balancer) append to the header in front of the dashboard; entries further left are the client's
 * own claims and are not trusted.
 */
export function clientAddress(request: Request, env: NodeJS.ProcessEnv = process.env): string {
  const hops = Math.max(0, Math.min(10, Number(env.FLINK_DASHBOARD_TRUSTED_PROXY_HOPS) || 0));
  const chain = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return chain[Math.max(0, chain.length - 1 - hops)] ?? request.headers.get('x-real-ip') ?? 'unknown';
}
