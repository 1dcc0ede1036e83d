import { toErrorCode } from '@/lib/api/error-codes';
import { csrfHeaders } from '@/lib/security/csrf-token';

/** An error answered by the dashboard's API, in its one wire shape. */
export class ClientApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly issues?: { path: string; message: string; detail?: string }[],
    /** Facts for the UI to act on, e.g. `{ haLeftovers: string[] }` on a create refused for HA leftovers. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ClientApiError';
  }
}

/** The one error shape (`{ error: { code, message, issues?, details? } }`), or undefined for any other body. */
export function readErrorBody(
  body: unknown,
): { code: string; message: string; issues?: { path: string; message: string; detail?: string }[]; details?: Record<string, unknown> } | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object') return undefined;
  const { code, message, issues, details } = error as { code?: unknown; message?: unknown; issues?: unknown; details?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return {
    code,
    message,
    issues: Array.isArray(issues) ? (issues as { path: string; message: string; detail?: string }[]) : undefined,
    details: details && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : undefined,
  };
}

/**
 * fetch() for the dashboard's own API: JSON in, JSON out, ClientApiError on failure. An empty body
 * (204) is `undefined`; a body that is not JSON is an error, never handed on as data.
 */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  // A change carries the page's anti-forgery token (lib/security/csrf.ts refuses it without).
  if (init?.method && !['GET', 'HEAD'].includes(init.method.toUpperCase())) for (const [k, v] of Object.entries(csrfHeaders())) headers.set(k, v);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, headers });
    text = await res.text();
  } catch (err) {
    // A cancelled query is not an outage: let TanStack Query see the abort.
    if (init?.signal?.aborted) throw err;
    throw new ClientApiError('unavailable', 'Cannot reach the dashboard server.', 0);
  }
  let body: unknown;
  let isJson = true;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      isJson = false;
    }
  }
  if (!res.ok) {
    const error = readErrorBody(body);
    if (error) throw new ClientApiError(error.code, error.message, res.status, error.issues, error.details);
    throw new ClientApiError(toErrorCode(res.status), `The dashboard server answered ${res.status} without saying why.`, res.status);
  }
  if (!isJson) throw new ClientApiError('upstream_error', 'The dashboard server answered with something that is not JSON.', res.status);
  return body as T;
}
