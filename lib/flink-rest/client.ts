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

const restService = (clusterId: string) => `${clusterId}-rest`;

/** The API server's own answer (not the JobManager's): a Status object. */
function readStatus(body: unknown): { message: string; kind?: string } | undefined {
  if (!body || typeof body !== 'object' || (body as { kind?: unknown }).kind !== 'Status') return undefined;
  const { message, details } = body as { message?: unknown; details?: { kind?: unknown } };
  if (typeof message !== 'string') return undefined;
  return { message, kind: typeof details?.kind === 'string' ? details.kind : undefined };
}

/** What the user reads when a REST path does not answer 2xx: plain words, Flink's own message when it gave one. */
function readMessage(status: number, text: string, conn: Connection, namespace: string, clusterId: string): string {
  // The API server refuses the proxy request itself (its Status body carries no more than this).
  if (status === 401) return `The API server at ${conn.server} did not accept the credentials of this context.`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `The JobManager's REST API answered ${status} with a body that is not JSON.`;
  }
  const flink = parseFlinkError(body);
  if (flink) return `The JobManager's REST API answered ${status}: ${flink}`;
  // The API server's service proxy answers for the JobManager when it cannot reach it.
  const apiStatus = readStatus(body);
  if (apiStatus) {
    const service = restService(clusterId);
    if (status === 503 && apiStatus.message.startsWith('no endpoints available for service')) {
      return `The JobManager is not ready yet: Service "${service}" has no ready endpoint.`;
    }
    if (status === 503 && /connection refused/.test(apiStatus.message)) {
      return 'The JobManager pod is running but its REST API does not accept connections (yet).';
    }
    if (status === 404 && (apiStatus.kind === 'endpoints' || apiStatus.kind === 'services')) {
      return `Service "${service}" (the JobManager's REST API) does not exist.`;
    }
    if (status === 403) {
      return `You may not get services/proxy in namespace ${namespace}, which reaching the JobManager's REST API needs.`;
    }
    return `The Kubernetes API server answered ${status}: ${apiStatus.message}`;
  }
  return `The JobManager's REST API answered ${status}.`;
}

/** GET one JobManager REST path as JSON. */
export async function getFlinkRestJson(conn: Connection, namespace: string, clusterId: string, path: string): Promise<unknown> {
  const init = await conn.kc.applyToFetchOptions({});
  let res;
  let text: string;
  try {
    res = await fetch(`${conn.server}${toRestProxyPath(namespace, clusterId, path)}`, {
      ...init,
      method: 'GET',
      headers: { ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>), accept: 'application/json' },
      timeout: TIMEOUT_MS,
    });
    text = await res.text();
  } catch (err) {
    // node-fetch's own timeout: the API server took the request, the JobManager did not answer in time.
    if ((err as { type?: unknown }).type === 'request-timeout' || (err as { type?: unknown }).type === 'body-timeout') {
      throw new FlinkRestError(`The JobManager's REST API did not answer within ${TIMEOUT_MS / 1000} seconds.`);
    }
    throw new FlinkRestError(`Cannot reach the Kubernetes API server at ${conn.server}.`);
  }
  if (!res.ok) throw new FlinkRestError(readMessage(res.status, text, conn, namespace, clusterId), res.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new FlinkRestError(`Service "${restService(clusterId)}" answered with something that is not JSON: it does not look like Flink's REST API.`);
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
