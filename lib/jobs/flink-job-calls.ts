import 'server-only';
import fetch from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import { K8sStatusError } from '@/lib/k8s/errors';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { callK8s } from '@/lib/k8s/request';
import { serviceProxyBase } from '@/lib/flink-rest/transport';

// Every raw JobManager REST call the jobs feature makes, in this one file, so it can switch to the
// generated typed client (lib/flink-rest) in one place. Calls go through the API server's service
// proxy to `<id>-rest`, which routes to a live JobManager (also after a leader change).

const TIMEOUT_MS = 5_000;

export type ClusterRef = { conn: Connection; namespace: string; clusterId: string };

type Call = { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown };

/** Where an error came from decides its message: the API server (cluster, REST Service) or Flink. */
export class FlinkCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly from: 'network' | 'apiserver' | 'flink',
  ) {
    super(message);
    this.name = 'FlinkCallError';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/**
 * Flink's `{ errors: [...] }` as one short sentence: the first line, without the Java class name
 * in front and without `<Exception on server side: ...>` (the stack trace is not a message).
 */
export function toFlinkMessage(errors: string[]): string {
  const useful =
    errors.find((e) => !e.startsWith('<Exception on server side') && e !== 'Internal server error.') ??
    errors.find((e) => e.startsWith('<Exception on server side')) ??
    errors[0];
  let line = firstLine(useful);
  if (line.startsWith('<Exception on server side')) {
    // Only the server-side trace: its first exception line after the marker.
    const inner = useful.split('\n').find((l, i) => i > 0 && l.trim() !== '');
    line = inner ? inner.trim() : 'Internal server error.';
  }
  return line.replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error): /, '');
}

function parseError(status: number, text: string): FlinkCallError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new FlinkCallError(`The REST API answered ${status}.`, status, 'flink');
  }
  if (body && typeof body === 'object') {
    const b = body as { kind?: unknown; message?: unknown; errors?: unknown };
    if (b.kind === 'Status') {
      return new FlinkCallError(typeof b.message === 'string' ? b.message : `The API server answered ${status}.`, status, 'apiserver');
    }
    if (Array.isArray(b.errors) && b.errors.length > 0 && b.errors.every((e) => typeof e === 'string')) {
      return new FlinkCallError(toFlinkMessage(b.errors as string[]), status, 'flink');
    }
  }
  return new FlinkCallError(`The REST API answered ${status}.`, status, 'flink');
}

/**
 * The proxy looks up the Endpoints, not the Service: "endpoints … not found" is either no such
 * cluster, or a REST Service created a moment ago. The Service tells which.
 */
export async function explainProxyError(ref: ClusterRef, err: FlinkCallError): Promise<FlinkCallError> {
  if (!(err.from === 'apiserver' && err.status === 404 && err.message.startsWith('endpoints '))) return err;
  const { conn, namespace, clusterId } = ref;
  const serviceExists = await callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`${clusterId}-rest`)}` }).then(
    () => true,
    (e: unknown) => !(e instanceof K8sStatusError && e.statusCode === 404),
  );
  if (serviceExists) return new FlinkCallError(`no endpoints available for service "${clusterId}-rest"`, 503, 'apiserver');
  return new FlinkCallError(`services "${clusterId}-rest" not found`, 404, 'apiserver');
}

async function call(ref: ClusterRef, c: Call): Promise<unknown> {
  const { conn, namespace, clusterId } = ref;
  const init = await conn.kc.applyToFetchOptions({});
  const headers: Record<string, string> = {
    ...Object.fromEntries(init.headers as unknown as Iterable<[string, string]>),
    accept: 'application/json',
  };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${conn.server}${serviceProxyBase(namespace, clusterId)}${c.path}`, {
      ...init,
      method: c.method,
      headers,
      body: c.body === undefined ? undefined : JSON.stringify(c.body),
      timeout: TIMEOUT_MS,
    });
  } catch {
    throw new FlinkCallError(`Cannot reach the Kubernetes API server at ${conn.server}.`, 0, 'network');
  }
  const text = await res.text();
  if (!res.ok) {
    throw await explainProxyError(ref, parseError(res.status, text));
  }
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new FlinkCallError('The REST API answered something that is not JSON.', res.status, 'flink');
  }
}

/**
 * The route-facing translation: a missing cluster, a REST API that is not up, an unknown job, and
 * Flink's refusals each become an ApiError with a plain message.
 */
export function toJobApiError(err: unknown, ref: ClusterRef, jobId?: string): unknown {
  if (!(err instanceof FlinkCallError)) return err;
  const cluster = `cluster ${ref.clusterId} in namespace ${ref.namespace}`;
  if (err.from === 'network') return new ApiError('unavailable', err.message);
  if (err.from === 'apiserver') {
    if (err.status === 404) return new ApiError('not_found', `There is no Flink ${cluster} (its REST Service ${ref.clusterId}-rest does not exist).`);
    if (err.status === 403) return new ApiError('forbidden', err.message);
    if (err.status === 503 || err.status === 502) return new ApiError('unavailable', `The REST API of ${cluster} is not up yet: ${err.message}`);
    return new ApiError('upstream_error', err.message);
  }
  if (err.status === 404 && jobId) return new ApiError('not_found', `There is no job ${jobId} on ${cluster}.`);
  if (err.status === 503) return new ApiError('unavailable', `The JobManager of ${cluster} is electing a leader; try again in a moment.`);
  if (err.status === 409) return new ApiError('conflict', err.message);
  if (err.status >= 400 && err.status < 500) return new ApiError('bad_request', `Flink refused the request: ${err.message}`);
  return new ApiError('upstream_error', `Flink could not do it: ${err.message}`);
}

const job = (id: string) => `/jobs/${encodeURIComponent(id)}`;

export const flinkJobCalls = {
  config: (ref: ClusterRef) => call(ref, { method: 'GET', path: '/config' }),
  jobsOverview: (ref: ClusterRef) => call(ref, { method: 'GET', path: '/jobs/overview' }),
  job: (ref: ClusterRef, jobId: string) => call(ref, { method: 'GET', path: job(jobId) }),
  jobCheckpoints: (ref: ClusterRef, jobId: string) => call(ref, { method: 'GET', path: `${job(jobId)}/checkpoints` }),
  jobExceptions: (ref: ClusterRef, jobId: string) => call(ref, { method: 'GET', path: `${job(jobId)}/exceptions?maxExceptions=20` }),
  jobMetrics: (ref: ClusterRef, jobId: string, names: string[]) =>
    call(ref, { method: 'GET', path: `${job(jobId)}/metrics?get=${names.map(encodeURIComponent).join(',')}` }),
  cancel: (ref: ClusterRef, jobId: string) => call(ref, { method: 'PATCH', path: `${job(jobId)}?mode=cancel` }),
  stopWithSavepoint: (ref: ClusterRef, jobId: string, body: { targetDirectory?: string; drain: boolean; formatType?: string }) =>
    call(ref, { method: 'POST', path: `${job(jobId)}/stop`, body }),
  triggerSavepoint: (ref: ClusterRef, jobId: string, body: { 'target-directory'?: string; 'cancel-job': boolean; formatType?: string }) =>
    call(ref, { method: 'POST', path: `${job(jobId)}/savepoints`, body }),
  savepointStatus: (ref: ClusterRef, jobId: string, triggerId: string) =>
    call(ref, { method: 'GET', path: `${job(jobId)}/savepoints/${encodeURIComponent(triggerId)}` }),
  triggerCheckpoint: (ref: ClusterRef, jobId: string, body: { checkpointType: string }) =>
    call(ref, { method: 'POST', path: `${job(jobId)}/checkpoints`, body }),
  checkpointStatus: (ref: ClusterRef, jobId: string, triggerId: string) =>
    call(ref, { method: 'GET', path: `${job(jobId)}/checkpoints/${encodeURIComponent(triggerId)}` }),
};
