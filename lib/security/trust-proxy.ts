/**
 * Whether X-Forwarded-Host/-Proto describe the address the browser used: only behind a proxy that sets
 * them (env FLINK_DASHBOARD_TRUST_PROXY=true). Otherwise any client could claim any host with them.
 */
export function trustsProxy(env: Record<string, string | undefined> = process.env): boolean {
  return env.FLINK_DASHBOARD_TRUST_PROXY === 'true';
}
