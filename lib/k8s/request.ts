import 'server-only';
import fetch from 'node-fetch';
import type { Connection } from './kubeconfig';
import { K8sStatusError } from './errors';

export type K8sCall = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
};

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

/**
 * One request to the API server with the connection's credentials. Failures throw K8sStatusError
 * (status code, reason and the Status message, which carries no headers).
 */
export async function callK8s(conn: Connection, call: K8sCall): Promise<unknown> {
  const init = await conn.kc.applyToFetchOptions({});
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  const headers: Record<string, string> = {
    ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>),
    accept: 'application/json',
  };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${conn.server}${call.path}${query}`, {
    ...init,
    method: call.method,
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    timeout: call.timeoutMs ?? 30_000,
  });
  const text = await res.text();
  if (!res.ok) {
    const status = readStatus(text);
    throw new K8sStatusError(res.status, status.reason, status.message);
  }
  return text === '' ? undefined : JSON.parse(text);
}

/** GET a JSON document from the API server with the connection's credentials and TLS settings. */
export async function getJson(conn: Connection, path: string, options?: { timeoutMs?: number }): Promise<unknown> {
  return callK8s(conn, { method: 'GET', path, timeoutMs: options?.timeoutMs });
}
