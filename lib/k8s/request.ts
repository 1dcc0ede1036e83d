import 'server-only';
import fetch, { Headers, type RequestInit as NodeRequestInit } from 'node-fetch';
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
 * The connection's credentials for node-fetch: its agent (TLS, client certificate) and its headers
 * (Authorization, Impersonate-User, one Impersonate-Group line per group) plus `extra`. Always go
 * through this rather than copying the headers into a plain object, which would join repeated
 * Impersonate-Group lines into one "a, b" value (one group of that name to the API server).
 */
export async function connectionInit(conn: Connection, extra: Record<string, string> = {}): Promise<{ agent: NodeRequestInit['agent']; headers: Headers }> {
  const init = await conn.kc.applyToFetchOptions({});
  const headers = new Headers(init.headers as never);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return { agent: init.agent as NodeRequestInit['agent'], headers };
}

/**
 * One request to the API server with the connection's credentials. Failures throw K8sStatusError
 * (status code, reason and the Status message, which carries no headers).
 */
export async function callK8s(conn: Connection, call: K8sCall): Promise<unknown> {
  const { agent, headers } = await connectionInit(conn, { accept: 'application/json' });
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  if (call.body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`${conn.server}${call.path}${query}`, {
    agent,
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
