import 'server-only';
import { z } from 'zod';
import type { Connection } from '../kubeconfig';
import { toK8sApiError } from '../errors';
import { callK8s } from './k8s-call';

const listSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).nullish() }),
      type: z.string().optional(),
      data: z.record(z.string(), z.unknown()).nullish(),
      binaryData: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
});

export type KeyNames = { name: string; type?: string; keys: string[] };
type ListedItem = KeyNames & { labels: Record<string, string> };

/**
 * Names, types and data KEYS of the Secrets or ConfigMaps of a namespace. The values are read
 * from the API server (a list has no other shape) and dropped here: they never leave the server.
 * `keep` chooses items by name, labels and keys (labels are not answered).
 */
export async function listKeyNames(
  conn: Connection,
  resource: 'secrets' | 'configmaps',
  namespace: string,
  keep: (items: ListedItem[]) => ListedItem[] = (items) => items,
): Promise<KeyNames[]> {
  let raw: unknown;
  try {
    raw = await callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`, timeoutMs: 10_000 });
  } catch (err) {
    throw toK8sApiError(err, { verb: 'list', resource, namespace, server: conn.server });
  }
  const items: ListedItem[] = listSchema
    .parse(raw)
    .items.map((item) => ({
      name: item.metadata.name,
      labels: item.metadata.labels ?? {},
      keys: [...Object.keys(item.data ?? {}), ...Object.keys(item.binaryData ?? {})].sort(),
      ...(resource === 'secrets' && item.type ? { type: item.type } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  // Labels only choose; the answer is names, types and keys.
  return keep(items).map((item) => ({ name: item.name, ...(item.type ? { type: item.type } : {}), keys: item.keys }));
}
