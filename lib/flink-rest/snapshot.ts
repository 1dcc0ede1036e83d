import 'server-only';
// What the cluster page's Flink card shows of the REST API, read with the typed client.
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { createFlinkClient, type FlinkClientOptions } from './flink-client';
import type { FlinkRestSnapshot } from './snapshot-types';
import { DEFAULT_RETRY, type RetryPolicy } from './transport';

export const SNAPSHOT_RETRY: RetryPolicy = { ...DEFAULT_RETRY, retryWithinMs: 1_000 };

export type { FlinkRestSnapshot } from './snapshot-types';

/** /config, /overview and /jobs/overview at once; unreachable (starting, failing) is an answer, not an error. */
export async function readFlinkRestSnapshot(
  conn: Connection,
  namespace: string,
  clusterId: string,
  options?: FlinkClientOptions,
): Promise<FlinkRestSnapshot> {
  // The card is re-read every few seconds anyway: retry a 503 or a lost connection for 1 s at most, so that
  // a leader election that lasts is shown as what it is instead of holding the page's request for 5 s.
  const client = createFlinkClient(conn, namespace, clusterId, { retry: SNAPSHOT_RETRY, ...options });
  try {
    const [config, overview, jobs] = await Promise.all([client.config(), client.overview(), client.jobsOverview()]);
    return {
      reachable: true,
      flinkVersion: config.flinkVersion,
      restLine: config.restLine,
      webSubmit: config.webSubmit,
      overview: {
        taskmanagers: overview.taskmanagers ?? 0,
        'slots-total': overview['slots-total'] ?? 0,
        'slots-available': overview['slots-available'] ?? 0,
        'jobs-running': overview['jobs-running'] ?? 0,
        'jobs-finished': overview['jobs-finished'] ?? 0,
        'jobs-cancelled': overview['jobs-cancelled'] ?? 0,
        'jobs-failed': overview['jobs-failed'] ?? 0,
      },
      jobs: jobs
        .map((job) => ({
          id: job.jid ?? '',
          name: job.name ?? '',
          state: job.state ?? 'INITIALIZING',
          startTime: job['start-time'] ?? 0,
          duration: job.duration ?? 0,
          ...(job.applicationId ? { applicationId: job.applicationId } : {}),
        }))
        .sort((a, b) => b.startTime - a.startTime),
    };
  } catch (err) {
    // FlinkRestError is an ApiError too: every plain-words reason is an answer for the card.
    if (err instanceof ApiError) return { reachable: false, message: err.message };
    throw err;
  }
}
