import 'server-only';
import fetch from 'node-fetch';
import type { Connection } from './kubeconfig';
import { K8sStatusError } from './errors';

function readStatus(text: string): { reason?: string; message?: string } {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const { reason, message } = body as { reason?: unknown; message?: unknown };
      return {
        reason: typeof reason === 'string' ? reason : undefined,
        message: typeof message === 'string' ? message : undefined,
      };
    }
  } catch {
    // not a Status object
  }
  return {};
}

/** GET a JSON document from the API server with the connection's credentials and TLS settings. */
export async function getJson(conn: Connection, path: string, options?: { timeoutMs?: number }): Promise<unknown> {
  const init = await conn.kc.applyToFetchOptions({});
  const res = await fetch(`${conn.server}${path}`, {
    ...init,
    method: 'GET',
    headers: { ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>), accept: 'application/json' },
    timeout: options?.timeoutMs ?? 30_000,
  });
  const text = await res.text();
  if (!res.ok) {
    const status = readStatus(text);
    throw new K8sStatusError(res.status, status.reason, status.message);
  }
  return JSON.parse(text);
}
