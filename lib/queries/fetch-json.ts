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

function readErrorBody(
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

/** fetch() for the dashboard's own API: JSON in, JSON out, ClientApiError on failure. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    throw new ClientApiError('unavailable', 'Cannot reach the dashboard server.', 0);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = readErrorBody(body);
    throw new ClientApiError(error?.code ?? 'internal', error?.message ?? `The server answered ${res.status}.`, res.status, error?.issues, error?.details);
  }
  return body as T;
}
