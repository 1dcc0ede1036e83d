import 'server-only';
// Every call the jar routes make to a JobManager goes through this one file, so it can move to the
// typed client of lib/flink-rest in one place. The jar upload itself is a stream (upload-jar.ts) but
// takes its target from here.
import fetch from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import { toErrorCode } from '@/lib/api/error-codes';
import { parseClusterMode } from '@/lib/flink/cluster-summary';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { K8sStatusError, toK8sApiError } from '@/lib/k8s/errors';
import { callK8s } from '@/lib/k8s/request';

/** The JobManager pod that holds jars: the leader's, since jars live on the disk of the JobManager that received them. */
export type JarTarget = {
  podName: string;
  /** API server path of the pod's REST port through the pods proxy, without a trailing slash. */
  proxyBase: string;
  mode: 'session' | 'application' | 'unknown';
};

type Pod = {
  metadata: { name: string; deletionTimestamp?: string };
  spec?: { containers?: { name: string; ports?: { name?: string; containerPort: number }[] }[] };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
};
type Deployment = { spec?: { template?: { spec?: { containers?: { command?: string[]; args?: string[] }[] } } } };

const LEADER_KEY = 'org.apache.flink.k8s.leader.restserver';

export function notUpYet(clusterId: string): ApiError {
  return new ApiError('unavailable', `The JobManager's REST API of cluster ${clusterId} is not up yet. Try again in a few seconds.`);
}

/** `"<leader session id>,http://10.244.1.5:8081"` → the host (split at the first comma, as Flink writes it). */
export function parseLeaderAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const address = value.slice(value.indexOf(',') + 1);
  try {
    return new URL(address).hostname;
  } catch {
    return undefined;
  }
}

function restPort(pod: Pod): number {
  for (const c of pod.spec?.containers ?? []) {
    const port = c.ports?.find((p) => p.name === 'rest');
    if (port) return port.containerPort;
  }
  return 8081;
}

async function getOrUndefined<T>(conn: Connection, path: string, op: { verb: string; resource: string; namespace: string }): Promise<T | undefined> {
  try {
    return (await callK8s(conn, { method: 'GET', path, timeoutMs: 10_000 })) as T;
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) return undefined;
    throw toK8sApiError(err, { ...op, server: conn.server });
  }
}

/**
 * The leader JobManager's pod: with HA, the pod whose IP the HA ConfigMap's restserver entry names;
 * without, the one running JobManager pod. A missing Deployment is not_found; no running pod or no
 * leader yet is unavailable (retryable).
 */
export async function resolveJarTarget(conn: Connection, namespace: string, clusterId: string): Promise<JarTarget> {
  const ns = encodeURIComponent(namespace);
  const op = { verb: 'get', resource: 'deployments', namespace };
  const deployment = await getOrUndefined<Deployment>(conn, `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(clusterId)}`, op);
  if (!deployment) throw new ApiError('not_found', `There is no Flink cluster ${clusterId} in namespace ${namespace}.`);
  const mode = parseClusterMode(deployment.spec?.template?.spec?.containers?.[0]);
  const selector = `app=${clusterId},component=jobmanager`;
  const pods = (
    (await callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: selector }, timeoutMs: 10_000 }).catch((err) => {
      throw toK8sApiError(err, { verb: 'list', resource: 'pods', namespace, server: conn.server });
    })) as { items: Pod[] }
  ).items.filter((p) => p.status?.phase === 'Running' && p.status.podIP && !p.metadata.deletionTimestamp);
  if (pods.length === 0) throw notUpYet(clusterId);
  let pod: Pod | undefined;
  if (pods.length === 1) pod = pods[0];
  else {
    const cm = await getOrUndefined<{ data?: Record<string, string> }>(
      conn,
      `/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(`${clusterId}-cluster-config-map`)}`,
      { verb: 'get', resource: 'configmaps', namespace },
    );
    const ip = parseLeaderAddress(cm?.data?.[LEADER_KEY]);
    pod = pods.find((p) => p.status?.podIP === ip);
    if (!pod) throw new ApiError('unavailable', `Cluster ${clusterId} has no JobManager leader yet (leader election in progress). Try again in a few seconds.`);
  }
  return {
    podName: pod.metadata.name,
    proxyBase: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}:${restPort(pod)}/proxy`,
    mode,
  };
}

/** Flink's `{"errors": [...]}`: the first line as the message, the whole text kept for "Show details". */
export function readFlinkError(text: string): { message: string; detail: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const errors = (body as { errors?: unknown })?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === 'string')) return undefined;
  const all = (errors as string[]).join('\n\n');
  return { message: plainFlinkMessage(errors as string[]), detail: all };
}

const JAVA_CLASS_PREFIX = /^(?:(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)?: )+/;
const GENERIC = /^(Internal server error\.?|<?Exception on server side:?|End of exception on server side>?)$/i;

/**
 * A plain first line from Flink's errors. A handler error is one string (or two, after "Internal
 * server error.") holding the stringified exception with its "Caused by:" chain: the deepest cause
 * says what is wrong ("The program's entry point class 'x' was not found in the jar file."), so it
 * follows the handler's own sentence, both without Java class names.
 */
export function plainFlinkMessage(errors: string[]): string {
  const text = errors.join('\n');
  const first = errors[0].split('\n')[0].trim().replace(JAVA_CLASS_PREFIX, '');
  const causes = [...text.matchAll(/(?:Caused by: |<Exception on server side:\n)([^\n]+)/g)]
    .map((m) => m[1].trim().replace(JAVA_CLASS_PREFIX, '').trim())
    .filter((m) => m !== '' && !GENERIC.test(m));
  const deepest = causes.at(-1);
  const head = GENERIC.test(first) ? '' : first;
  if (deepest && deepest !== head) return head ? `${head} ${deepest}` : deepest;
  return head || 'The JobManager refused the request.';
}

/** An error answer of the pods proxy or of Flink behind it, in the one error shape. */
export function toJarCallError(status: number, text: string, clusterId: string, what: string): ApiError {
  const flink = readFlinkError(text);
  if (flink) {
    const code = status >= 500 && status !== 503 ? 'bad_request' : toErrorCode(status);
    // Flink answers a bad program (wrong entry class, main() failing) with 500 from the handler's
    // synchronous exception: it is the request that is wrong, not the dashboard.
    return new ApiError(code, flink.message, { details: { flinkError: flink.detail } });
  }
  // The API server's own answer (a Status): the pod is gone, not ready, or refuses the connection.
  if (status === 503 || status === 502 || (status === 500 && /connection refused|dial tcp|no endpoints/i.test(text))) return notUpYet(clusterId);
  if (status === 404) return new ApiError('not_found', `The JobManager of cluster ${clusterId} has no ${what}.`);
  return new ApiError(toErrorCode(status), `The JobManager of cluster ${clusterId} answered ${status} to ${what}.`);
}

async function call(
  conn: Connection,
  target: JarTarget,
  clusterId: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  what: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<unknown> {
  const init = await conn.kc.applyToFetchOptions({});
  const headers: Record<string, string> = { ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${conn.server}${target.proxyBase}${path}`, {
      ...init,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeout: timeoutMs,
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'FetchError' && /timeout/i.test(err.message)) {
      throw new ApiError('timeout', `The JobManager of cluster ${clusterId} did not answer ${what} in time.`);
    }
    throw new ApiError('unavailable', `Cannot reach the Kubernetes API server at ${conn.server}.`);
  }
  const text = await res.text();
  if (!res.ok) throw toJarCallError(res.status, text, clusterId, what);
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('upstream_error', `The JobManager of cluster ${clusterId} answered ${what} with something that is not JSON.`);
  }
}

export type FlinkJarList = { files: { id: string; name: string; uploaded: number; entry: { name: string }[] }[] };
export type FlinkDashboardConfig = { 'flink-version': string; features?: { 'web-submit'?: boolean } };

export function getDashboardConfig(conn: Connection, target: JarTarget, clusterId: string) {
  return call(conn, target, clusterId, 'GET', '/config', 'the request for its configuration') as Promise<FlinkDashboardConfig>;
}

export function listJars(conn: Connection, target: JarTarget, clusterId: string) {
  return call(conn, target, clusterId, 'GET', '/jars', 'the request for its jars') as Promise<FlinkJarList>;
}

export async function deleteJar(conn: Connection, target: JarTarget, clusterId: string, jarId: string): Promise<void> {
  await call(conn, target, clusterId, 'DELETE', `/jars/${encodeURIComponent(jarId)}`, `the request to delete jar ${jarId}`);
}

/** POST /jars/:id/run. It runs main() on the JobManager, which may take long: a generous timeout, and never retried. */
export async function runJar(conn: Connection, target: JarTarget, clusterId: string, jarId: string, body: Record<string, unknown>): Promise<{ jobid: string }> {
  return (await call(conn, target, clusterId, 'POST', `/jars/${encodeURIComponent(jarId)}/run`, `the request to run jar ${jarId}`, body, 120_000)) as { jobid: string };
}
