import 'server-only';
import { parseScopeQuery } from '@/lib/api/scope';
import { getConnection, type Connection } from '@/lib/k8s/kubeconfig';

/** The connection for `?context=` (default: the kubeconfig's current context). */
export function connectionFor(request: Request): Connection {
  const params = new URL(request.url).searchParams;
  return getConnection(parseScopeQuery({ context: params.get('context') ?? undefined }).context);
}

/** Query parameters as a plain record for zod. */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
