import 'server-only';
// The jar routes' calls to a JobManager, in one file, on the typed client of lib/flink-rest (which
// picks the leader's pod, maps the run body to the cluster's version and turns Flink's errors into
// ApiErrors with the stack trace as `detail`). The jar upload itself is a stream (upload-jar.ts) and
// takes its target from resolveJarTarget here.
import { ApiError } from '@/lib/api/api-error';
import { parseClusterMode } from '@/lib/flink/cluster-summary';
import { createFlinkClient, type FlinkClient, type FlinkConfig } from '@/lib/flink-rest/flink-client';
import { isFlinkRestError } from '@/lib/flink-rest/errors';
import { resolveJarTarget as resolveLeaderPod, type JarTarget } from '@/lib/flink-rest/jar-target';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { K8sStatusError, toK8sApiError } from '@/lib/k8s/errors';
import { callK8s } from '@/lib/k8s/request';

export type { JarTarget };
export type ClusterMode = 'session' | 'application' | 'unknown';
type Deployment = { spec?: { template?: { spec?: { containers?: { command?: string[]; args?: string[] }[] } } } };

/** The cluster's mode from its JobManager Deployment; a missing Deployment is a plain not_found. */
export async function readClusterMode(conn: Connection, namespace: string, clusterId: string): Promise<ClusterMode> {
  let deployment: Deployment;
  try {
    deployment = (await callK8s(conn, {
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(clusterId)}`,
      timeoutMs: 10_000,
    })) as Deployment;
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) {
      throw new ApiError('not_found', `There is no Flink cluster ${clusterId} in namespace ${namespace}.`);
    }
    throw toK8sApiError(err, { verb: 'get', resource: 'deployments', namespace, server: conn.server });
  }
  return parseClusterMode(deployment.spec?.template?.spec?.containers?.[0]);
}

/** The leader JobManager's pod, where jars live (lib/flink-rest/jar-target.ts). */
export function resolveJarTarget(conn: Connection, namespace: string, clusterId: string): Promise<JarTarget> {
  return resolveLeaderPod(conn, namespace, clusterId);
}

export function flinkClientFor(conn: Connection, namespace: string, clusterId: string): FlinkClient {
  return createFlinkClient(conn, namespace, clusterId);
}
export type { FlinkClient, FlinkConfig };

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
  return { message: plainFlinkMessage(errors as string[]), detail: (errors as string[]).join('\n') };
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

/**
 * A Flink refusal of the user's request (a bad program, an unknown jar) as a plain ApiError: the
 * deepest cause as the message, Flink's whole text as `detail`. Flink answers a program that fails
 * in the handler with 500, but it is the request that is wrong, so it is a 400 here. Other errors
 * (proxy, timeouts) pass through as the client made them.
 */
export function toPlainFlinkError(err: unknown): unknown {
  if (!isFlinkRestError(err) || err.failure !== 'flink') return err;
  const code = err.status !== undefined && err.status >= 500 && err.status !== 503 ? 'bad_request' : err.code;
  return new ApiError(code, plainFlinkMessage([err.detail ?? err.flinkMessage ?? err.message]), { detail: err.detail });
}

/** An error answer of the pods proxy or of Flink behind it to the streamed upload, in the one error shape. */
export function toJarCallError(status: number, text: string, clusterId: string, what: string): ApiError {
  const flink = readFlinkError(text);
  if (flink) return new ApiError(status >= 500 && status !== 503 ? 'bad_request' : status === 404 ? 'not_found' : status === 503 ? 'unavailable' : 'bad_request', flink.message, { detail: flink.detail });
  if (status === 503 || status === 502 || (status === 500 && /connection refused|dial tcp|no endpoints/i.test(text))) {
    return new ApiError('unavailable', `The JobManager's REST API of cluster ${clusterId} is not up yet. Try again in a few seconds.`);
  }
  if (status === 404) return new ApiError('not_found', `The JobManager of cluster ${clusterId} has no ${what}.`);
  return new ApiError(status >= 500 ? 'upstream_error' : 'bad_request', `The JobManager of cluster ${clusterId} answered ${status} to ${what}.`);
}
