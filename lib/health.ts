import 'server-only';
import { runAs } from '@/lib/auth/identity';
import { DASHBOARD_IDENTITY } from '@/lib/audit/audit';
import { toApiError } from '@/lib/api/to-error-response';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { callK8s } from '@/lib/k8s/request';
import { isDraining } from '@/lib/live/server/shutdown';

export type Readiness = { ready: boolean; checks: { name: string; ok: boolean; message?: string }[] };

const API_TIMEOUT_MS = 3_000;

/**
 * Ready to serve: not shutting down, the kubeconfig (or in-cluster ServiceAccount) loads, and the
 * API server of its current context answers GET /version within 3 s, asked as the dashboard itself.
 */
export async function checkReadiness(): Promise<Readiness> {
  if (isDraining()) return { ready: false, checks: [{ name: 'shutdown', ok: false, message: 'The server is shutting down.' }] };
  const checks: Readiness['checks'] = [{ name: 'shutdown', ok: true }];
  let conn;
  try {
    conn = getConnection();
    checks.push({ name: 'kubeconfig', ok: true });
  } catch (err) {
    checks.push({ name: 'kubeconfig', ok: false, message: toApiError(err).message });
    return { ready: false, checks };
  }
  try {
    const version = (await runAs(DASHBOARD_IDENTITY, () => callK8s(conn, { method: 'GET', path: '/version', timeoutMs: API_TIMEOUT_MS }))) as { gitVersion?: unknown };
    if (typeof version?.gitVersion !== 'string') throw new Error('no gitVersion');
    checks.push({ name: 'apiserver', ok: true, message: `${conn.server} answers (Kubernetes ${version.gitVersion})` });
  } catch (err) {
    checks.push({ name: 'apiserver', ok: false, message: `The Kubernetes API server ${conn.server} does not answer: ${toApiError(err).message}` });
    return { ready: false, checks };
  }
  return { ready: true, checks };
}
