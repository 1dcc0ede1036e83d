import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { logger } from '@/lib/log';
import { FlinkCallError, flinkJobCalls, toJobApiError, type ClusterRef } from './flink-job-calls';
import { JobPollerRegistry, type PollSource, type PollerEvent } from './job-poller';
import { createSseResponse, type FeedEvent } from '@/lib/k8s/watch-response';
import { toJobDetail, toJobsList, type JobView, type JobsList } from './job-views';

// On globalThis so a dev hot reload reuses the running pollers instead of duplicating them.
const g = globalThis as unknown as { __flinkDashJobPollers?: JobPollerRegistry };
export const jobPollers = (g.__flinkDashJobPollers ??= new JobPollerRegistry());

export function toPollerKey(ref: ClusterRef): string {
  // identityKey: a poller polls with one user's rights, so only that user's subscribers share it.
  return [ref.conn.context, ref.conn.server, ref.conn.identityKey, ref.namespace, ref.clusterId].join('|');
}

function messageOf(err: unknown, ref: ClusterRef, jobId?: string): string {
  const translated = toJobApiError(err, ref, jobId);
  if (translated instanceof ApiError) return translated.message;
  if (err instanceof Error && err.name === 'ZodError') return 'The REST API answered in an unexpected shape.';
  logger.error('unexpected Flink REST error', { namespace: ref.namespace, clusterId: ref.clusterId, err });
  return 'The REST API could not be read.';
}

/** The Flink calls behind one cluster's poller: answers, never throws. */
export function createPollSource(ref: ClusterRef): PollSource {
  const failing = new Set<string>();
  return {
    async jobs(): Promise<JobsList> {
      try {
        return toJobsList(await flinkJobCalls.jobsOverview(ref));
      } catch (err) {
        return { reachable: false, message: messageOf(err, ref) };
      }
    },
    async job(jobId: string): Promise<JobView> {
      try {
        const soft = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
        const [detail, checkpoints, exceptions, metrics] = await Promise.all([
          flinkJobCalls.job(ref, jobId),
          soft(flinkJobCalls.jobCheckpoints(ref, jobId)),
          soft(flinkJobCalls.jobExceptions(ref, jobId)),
          soft(flinkJobCalls.jobMetrics(ref, jobId, ['numRestarts'])),
        ]);
        failing.delete(jobId);
        return {
          found: true,
          job: toJobDetail({
            detail,
            checkpoints: 'value' in checkpoints ? checkpoints.value : undefined,
            checkpointsError: 'error' in checkpoints ? messageOf(checkpoints.error, ref) : undefined,
            exceptions: 'value' in exceptions ? exceptions.value : undefined,
            metrics: 'value' in metrics ? metrics.value : undefined,
          }),
        };
      } catch (err) {
        const message = messageOf(err, ref, jobId);
        // Once per failing spell, with the answer behind the message (what the API server or Flink said).
        if (!failing.has(jobId)) logger.warn('job read failed', { namespace: ref.namespace, clusterId: ref.clusterId, jobId, message, upstream: err instanceof FlinkCallError ? err.original : undefined, err });
        failing.add(jobId);
        return { found: false, message };
      }
    },
  };
}

/**
 * An SSE response fed by the cluster's shared poller: `jobs` events (the job table) and, with a
 * job id, `job` events (the job page), each sent when it changed; heartbeats; until the browser
 * goes away (request.signal), which releases the poller.
 */
export function createJobStreamResponse(request: Request, ref: ClusterRef, jobId?: string): Response {
  return createSseResponse(request, (send) =>
    jobPollers.subscribe(toPollerKey(ref), () => createPollSource(ref), (event: PollerEvent) => send(event.type, event.data), jobId),
  );
}

/** What the job feed carries over the browser's one live connection (lib/live): two keyed items. */
export type JobFeedItem =
  | { key: 'jobs'; resourceVersion: string; jobs: JobsList }
  | { key: 'job'; resourceVersion: string; job: JobView };

/**
 * The cluster's shared poller as a live feed (a topic of /api/live): an empty snapshot, then the
 * `jobs` item (and, with a job id, the `job` item) each time it changed. Stopping releases the poller.
 */
export async function subscribeJobFeed(ref: ClusterRef, jobId: string | undefined, emit: (event: FeedEvent<JobFeedItem>) => void): Promise<() => void> {
  let version = 0;
  emit({ type: 'snapshot', items: [] });
  emit({ type: 'status', state: 'live' });
  return jobPollers.subscribe(
    toPollerKey(ref),
    () => createPollSource(ref),
    (event: PollerEvent) => {
      const resourceVersion = String(++version);
      emit({ type: 'upsert', item: event.type === 'jobs' ? { key: 'jobs', resourceVersion, jobs: event.data } : { key: 'job', resourceVersion, job: event.data } });
    },
    jobId,
  );
}
