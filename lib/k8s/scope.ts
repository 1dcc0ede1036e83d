import 'server-only';
import { ALL_NAMESPACES, parseScopeQuery, type Scope } from '@/lib/api/scope';
import { toApiError } from '@/lib/api/to-error-response';
import { getConnection } from './kubeconfig';

/**
 * The scope of a request from `?context=&namespace=`: the context defaults to the kubeconfig's
 * current one, the namespace to the context's namespace, else all namespaces.
 * Throws a 422 for a malformed value and a 404 for an unknown context.
 */
export function resolveScope(params: URLSearchParams | Record<string, string | string[] | undefined>): Scope {
  const query = parseScopeQuery(params);
  const conn = getConnection(query.context);
  return { context: conn.context, namespace: query.namespace ?? conn.defaultNamespace ?? ALL_NAMESPACES };
}

/** For server pages: the scope, or the error as plain data to render (production hides thrown messages). */
export function tryResolveScope(
  params: Record<string, string | string[] | undefined>,
): { ok: true; scope: Scope } | { ok: false; message: string } {
  try {
    return { ok: true, scope: resolveScope(params) };
  } catch (err) {
    return { ok: false, message: toApiError(err).message };
  }
}
