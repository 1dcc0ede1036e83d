import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { K8sStatusError } from '@/lib/k8s/errors';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { callK8s } from '@/lib/k8s/request';
import { FlinkRestError } from '@/lib/flink-rest/errors';
import { createFlinkClient, type FlinkClient, type OperationStatus as ClientOperationStatus } from '@/lib/flink-rest/flink-client';

// Every JobManager REST call the jobs feature makes, in this one file: through the generated typed
// client (lib/flink-rest), i.e. the API server's service proxy to `<id>-rest`, which routes to a live
// JobManager (also after a leader change). Failures become FlinkCallError, explained by toJobApiError.

export type ClusterRef = { conn: Connection; namespace: string; clusterId: string };

/** Where an error came from decides its message: the API server (cluster, REST Service) or Flink. */
export class FlinkCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly from: 'network' | 'apiserver' | 'flink',
    /** What the typed client said first (for the server's log), when this error explains it. */
    readonly original?: string,
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

/** (b)'s typed client's failure, in the terms the jobs feature explains to the user. */
function fromClientError(err: unknown, ref: ClusterRef): unknown {
  if (!(err instanceof FlinkRestError)) return err;
  const status = err.status ?? 0;
  switch (err.failure) {
    case 'timeout':
    case 'unreachable':
      return new FlinkCallError(err.message, 0, 'network');
    case 'proxy':
      // The proxy looks up the Endpoints: explainProxyError asks the Service whether the cluster exists.
      if (status === 404) return new FlinkCallError(`endpoints "${ref.clusterId}-rest" not found`, 404, 'apiserver');
      // A refusal keeps the plain "You may not … in namespace x" (the API server's own text is its detail).
      if (status === 403) return new FlinkCallError(err.message, status, 'apiserver');
      return new FlinkCallError(err.detail ?? err.message, status, 'apiserver');
    default:
      return new FlinkCallError(err.flinkMessage ?? err.message, status, 'flink');
  }
}

// One typed client per cluster reference (it reads /config once to pick the Flink version's spec).
const clients = new WeakMap<ClusterRef, FlinkClient>();
function clientOf(ref: ClusterRef): FlinkClient {
  let c = clients.get(ref);
  if (!c) {
    c = createFlinkClient(ref.conn, ref.namespace, ref.clusterId);
    clients.set(ref, c);
  }
  return c;
}

async function via<T>(ref: ClusterRef, fn: (client: FlinkClient) => Promise<T>): Promise<T> {
  try {
    return await fn(clientOf(ref));
  } catch (err) {
    const translated = fromClientError(err, ref);
    if (!(translated instanceof FlinkCallError)) throw translated;
    const explained = await explainProxyError(ref, translated);
    const said = err instanceof FlinkRestError ? [err.message, err.detail].filter(Boolean).join(' · ') : undefined;
    throw new FlinkCallError(explained.message, explained.status, explained.from, said);
  }
}

/** A savepoint/checkpoint status of the typed client in the shape job-views reads (Flink's own). */
function toRawOperation(op: ClientOperationStatus): unknown {
  if (op.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
  if (op.status === 'FAILED') return { status: { id: 'COMPLETED' }, operation: { 'failure-cause': { 'stack-trace': op.failure.message } } };
  return { status: { id: 'COMPLETED' }, operation: { ...(op.location ? { location: op.location } : {}), ...(op.checkpointId !== undefined ? { checkpointId: op.checkpointId } : {}) } };
}

/**
 * The jobs feature's JobManager calls, through the generated typed client (lib/flink-rest), answered in
 * the raw shapes job-views reads.
 */
export const flinkJobCalls = {
  jobsOverview: (ref: ClusterRef) => via(ref, async (c) => ({ jobs: await c.jobsOverview() })),
  job: (ref: ClusterRef, jobId: string) => via(ref, (c) => c.job(jobId)),
  jobCheckpoints: (ref: ClusterRef, jobId: string) =>
    via(ref, async (c) => {
      const stats = await c.jobCheckpoints(jobId);
      if (stats === null) throw new FlinkCallError('Checkpointing has not been enabled.', 404, 'flink');
      return stats;
    }),
  jobExceptions: (ref: ClusterRef, jobId: string) => via(ref, async (c) => ({ exceptionHistory: await c.jobExceptions(jobId, { maxExceptions: 20 }) })),
  jobMetrics: (ref: ClusterRef, jobId: string, names: string[]) =>
    via(ref, async (c) => Object.entries(await c.jobMetrics(jobId, names)).map(([id, value]) => ({ id, value }))),
  cancel: (ref: ClusterRef, jobId: string) => via(ref, (c) => c.cancel(jobId)),
  stopWithSavepoint: (ref: ClusterRef, jobId: string, body: { targetDirectory?: string; drain: boolean; formatType?: 'CANONICAL' | 'NATIVE' }) =>
    via(ref, async (c) => ({ 'request-id': (await c.stopWithSavepoint(jobId, body)).triggerId })),
  triggerSavepoint: (ref: ClusterRef, jobId: string, body: { targetDirectory?: string; formatType?: 'CANONICAL' | 'NATIVE' }) =>
    via(ref, async (c) => ({ 'request-id': (await c.triggerSavepoint(jobId, { ...body, cancelJob: false })).triggerId })),
  savepointStatus: (ref: ClusterRef, jobId: string, triggerId: string) => via(ref, async (c) => toRawOperation(await c.savepointStatus(jobId, triggerId))),
  triggerCheckpoint: (ref: ClusterRef, jobId: string, body: { checkpointType: 'CONFIGURED' | 'FULL' | 'INCREMENTAL' }) =>
    via(ref, async (c) => ({ 'request-id': (await c.triggerCheckpoint(jobId, body)).triggerId })),
  checkpointStatus: (ref: ClusterRef, jobId: string, triggerId: string) => via(ref, async (c) => toRawOperation(await c.checkpointStatus(jobId, triggerId))),
};
