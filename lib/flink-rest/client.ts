import 'server-only';
import fetch from 'node-fetch';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { parseFlinkError, toFlinkRestSnapshot, type FlinkRestSnapshot } from './schemas';

const TIMEOUT_MS = 5_000;

/** The JobManager's REST Service through the API server's service proxy (no route into the pod network needed). */
export function toRestProxyPath(namespace: string, clusterId: string, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`${clusterId}-rest`)}:rest/proxy${path}`;
}

/** Thrown when the REST API does not answer usefully; its message is safe to show. */
export class FlinkRestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FlinkRestError';
  }
}

function readMessage(status: number, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `The REST API answered ${status}.`;
  }
  const flink = parseFlinkError(body);
  if (flink) return flink;
  // The API server's own refusal (no endpoints yet, forbidden) is a Status object.
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return `The REST API answered ${status}.`;
}

/** GET one JobManager REST path as JSON. */
export async function getFlinkRestJson(conn: Connection, namespace: string, clusterId: string, path: string): Promise<unknown> {
  const init = await conn.kc.applyToFetchOptions({});
  let res;
  try {
    res = await fetch(`${conn.server}${toRestProxyPath(namespace, clusterId, path)}`, {
      ...init,
      method: 'GET',
      headers: { ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>), accept: 'application/json' },
      timeout: TIMEOUT_MS,
    });
  } catch {
    throw new FlinkRestError(`Cannot reach the Kubernetes API server at ${conn.server}.`);
  }
  const text = await res.text();
  if (!res.ok) throw new FlinkRestError(readMessage(res.status, text), res.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new FlinkRestError('The REST API answered something that is not JSON.');
  }
}

/** /config, /overview and /jobs/overview at once; unreachable (starting, failing) is an answer, not an error. */
export async function readFlinkRestSnapshot(conn: Connection, namespace: string, clusterId: string): Promise<FlinkRestSnapshot> {
  try {
    const [config, overview, jobs] = await Promise.all(
      ['/config', '/overview', '/jobs/overview'].map((p) => getFlinkRestJson(conn, namespace, clusterId, p)),
    );
    return toFlinkRestSnapshot(config, overview, jobs);
  } catch (err) {
    if (err instanceof FlinkRestError) return { reachable: false, message: err.message };
    if (err instanceof Error && err.name === 'ZodError') {
      return { reachable: false, message: 'The REST API answered in an unexpected shape.' };
    }
    throw err;
  }
}
