import 'server-only';
import { z } from 'zod';
import { toK8sApiError } from './errors';
import { getConnection } from './kubeconfig';
import { getJson } from './request';

const versionSchema = z.object({ gitVersion: z.string(), major: z.string().optional(), minor: z.string().optional() });
export type ServerVersion = z.infer<typeof versionSchema>;

const TTL_MS = 60_000;
const g = globalThis as unknown as { __flinkDashVersions?: Map<string, { at: number; version: ServerVersion }> };
const cache = (g.__flinkDashVersions ??= new Map());

/** GET /version of the context's API server (cached for a minute). */
export async function getServerVersion(context?: string): Promise<ServerVersion> {
  const conn = getConnection(context);
  const key = `${conn.context}|${conn.server}|${conn.identityKey}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.version;
  try {
    const version = versionSchema.parse(await getJson(conn, '/version', { timeoutMs: 5_000 }));
    cache.set(key, { at: Date.now(), version });
    return version;
  } catch (err) {
    throw toK8sApiError(err, { verb: 'get', resource: 'the server version', server: conn.server });
  }
}

/** The embedded simulator marks its gitVersion with a `-sim` suffix. */
export function isSimulatedVersion(version: ServerVersion): boolean {
  return version.gitVersion.endsWith('-sim');
}
