import 'server-only';
import { z } from 'zod';
import { toK8sApiError } from './errors';
import { getConnection } from './kubeconfig';
import { getJson } from './request';

const namespaceListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string() }) })),
});

/** Namespace names the context may list. Throws forbidden when it may not (the UI then lets the user type one). */
export async function listNamespaceNames(context?: string): Promise<string[]> {
  const conn = getConnection(context);
  try {
    const list = namespaceListSchema.parse(await getJson(conn, '/api/v1/namespaces', { timeoutMs: 10_000 }));
    return list.items.map((n) => n.metadata.name).sort();
  } catch (err) {
    throw toK8sApiError(err, { verb: 'list', resource: 'namespaces', server: conn.server });
  }
}
