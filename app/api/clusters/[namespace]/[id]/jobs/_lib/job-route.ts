import 'server-only';
import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import { assertKnownQuery } from '@/lib/api/known-query';
import { readJsonBody } from '@/lib/api/clusters/read-json-body';
import { FlinkCallError, flinkJobCalls, toJobApiError, type ClusterRef } from '@/lib/jobs/flink-job-calls';
import { JOB_ID } from '@/lib/jobs/job-views';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { parseClusterParams } from '../../_lib/cluster-params';

export type JobRouteContext = { params: Promise<{ namespace: string; id: string; jobId: string }> };
export type TriggerRouteContext = { params: Promise<{ namespace: string; id: string; jobId: string; triggerId: string }> };

const jobIdSchema = z.string().regex(JOB_ID, 'A job id is 32 hexadecimal digits, such as 3f2a…e9 as shown in the job table.');
const triggerIdSchema = z.string().regex(JOB_ID, 'A trigger id is 32 hexadecimal digits.');

/** A savepoint directory must name its file system (s3://, file://, hdfs://…), as Flink requires. */
export const savepointPathSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/, 'must be a URI with a scheme, such as s3://bucket/savepoints or file:///flink/savepoints');

function plainIdError(err: z.ZodError, what: string): ApiError {
  return new ApiError('invalid_input', `${err.issues[0]?.message ?? `Bad ${what}.`}`, { issues: [{ path: what, message: err.issues[0]?.message ?? '' }] });
}

/** The cluster (through the request's kubeconfig context) and the job id, validated. */
export async function parseJobRoute(request: Request, context: JobRouteContext | TriggerRouteContext): Promise<{ ref: ClusterRef; jobId: string; triggerId?: string }> {
  assertKnownQuery(request, ['context']);
  const params = await context.params;
  const { namespace, id } = await parseClusterParams({ params: Promise.resolve(params) });
  const job = jobIdSchema.safeParse(params.jobId);
  if (!job.success) throw plainIdError(job.error, 'jobId');
  let triggerId: string | undefined;
  if ('triggerId' in params) {
    const t = triggerIdSchema.safeParse(params.triggerId);
    if (!t.success) throw plainIdError(t.error, 'triggerId');
    triggerId = t.data.toLowerCase();
  }
  const scope = resolveScope(new URL(request.url).searchParams);
  return { ref: { conn: getConnection(scope.context), namespace, clusterId: id }, jobId: job.data.toLowerCase(), ...(triggerId ? { triggerId } : {}) };
}

/** Runs Flink calls, answering a missing cluster, a REST API not up and an unknown job plainly. */
export async function withFlink<T>(ref: ClusterRef, jobId: string, fn: () => Promise<T>, notFound?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (notFound && err instanceof FlinkCallError && err.from === 'flink' && err.status === 404) throw new ApiError('not_found', notFound);
    throw toJobApiError(err, ref, jobId);
  }
}

/** Throws a 404 (plain message) when the cluster has no such job; nothing is changed before this. */
export async function requireJob(ref: ClusterRef, jobId: string): Promise<unknown> {
  return withFlink(ref, jobId, () => flinkJobCalls.job(ref, jobId));
}

/** The JSON body through a zod schema; an empty body counts as `{}`. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  return schema.parse(await readJsonBody(request, { emptyAs: {} }));
}

export const TERMINAL = ['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED'];

export function triggerIdOf(raw: unknown): string {
  return z.object({ 'request-id': z.string() }).parse(raw)['request-id'];
}
