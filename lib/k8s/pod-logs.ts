import 'server-only';
import fetch from 'node-fetch';
import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import type { Connection } from './kubeconfig';
import { K8sStatusError, toK8sApiError } from './errors';
import { callK8s, connectionInit } from './request';

// A pod's log, streamed from the API server (GET /api/v1/namespaces/:ns/pods/:name/log) to the
// browser chunk by chunk, as the API server sends it: nothing here holds more than the chunk in
// flight (the stream is pull-based, so a slow browser slows the read from the API server).

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === '');

export const podLogQuerySchema = z.object({
  container: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a container name (lowercase letters, digits and dashes)')
    .max(63)
    .optional(),
  tailLines: z.coerce
    .number({ message: 'must be a whole number of lines' })
    .int('must be a whole number of lines')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1,000,000')
    .optional(),
  previous: flag,
  follow: flag,
  download: flag,
});

export type PodLogQuery = z.infer<typeof podLogQuerySchema>;

export const podNameSchema = z
  .string()
  .regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'must be a pod name')
  .max(253);

type RawPod = {
  metadata?: { labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
};

export const MAIN_CONTAINER = 'flink-main-container';

/** The pod, if it belongs to the cluster (labels app=<id>, type=flink-native-kubernetes); never any other pod. */
export async function readClusterPod(conn: Connection, namespace: string, clusterId: string, podName: string): Promise<RawPod> {
  let pod: RawPod;
  try {
    pod = (await callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(podName)}` })) as RawPod;
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) throw podGone(podName, namespace);
    throw toK8sApiError(err, { verb: 'get', resource: 'pods', namespace, server: conn.server });
  }
  const labels = pod.metadata?.labels ?? {};
  if (labels.app !== clusterId || labels.type !== FLINK_NATIVE_TYPE) {
    throw new ApiError('not_found', `Pod ${podName} is not a pod of Flink cluster ${clusterId} in namespace ${namespace}.`);
  }
  return pod;
}

function podGone(podName: string, namespace: string): ApiError {
  return new ApiError('not_found', `Pod ${podName} does not exist in namespace ${namespace} (any more): it was deleted or replaced.`);
}

/** The containers a log can be read from: the pod's containers, then its init containers. */
export function containerNames(pod: RawPod): string[] {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
}

/** flink-main-container when the pod has it (Flink names its container so), else the first container. */
export function defaultContainer(pod: RawPod): string | undefined {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  return names.includes(MAIN_CONTAINER) ? MAIN_CONTAINER : names[0];
}

function readStatus(text: string): { message?: string } {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return { message: typeof body.message === 'string' ? body.message : undefined };
  } catch {
    return {};
  }
}

/** The API server's refusal of a log read, in plain words. */
export function toLogError(status: number, k8sMessage: string | undefined, where: { namespace: string; pod: string; container: string; server: string }): ApiError {
  const { namespace, pod, container } = where;
  const message = k8sMessage ?? '';
  if (status === 404) return podGone(pod, namespace);
  if (status === 403) return new ApiError('forbidden', `You may not read pod logs in namespace ${namespace} (it needs get on pods/log).`);
  if (status === 400) {
    // kubelet's validateContainerLogStatus: "container \"x\" in pod \"y\" is waiting to start: <reason>"
    const waiting = /is waiting to start: (.+)$/.exec(message);
    if (waiting) {
      return new ApiError('conflict', `Container ${container} of pod ${pod} has not started yet (${waiting[1]}), so it has no log.`, {
        details: { waiting: waiting[1] },
      });
    }
    if (/previous terminated container/.test(message)) {
      return new ApiError('not_found', `Container ${container} of pod ${pod} has not restarted, so there is no previous log.`);
    }
  }
  return toK8sApiError(new K8sStatusError(status, undefined, k8sMessage), { verb: 'read', resource: 'pod logs', namespace, server: where.server });
}

export type OpenedLog = { container: string; body: ReadableStream<Uint8Array> };

/**
 * Opens the log of a container of one of the cluster's pods. Refusals (pod gone, container not
 * started, no previous instance, no right) throw ApiErrors before any byte is sent.
 */
export async function openPodLog(
  conn: Connection,
  target: { namespace: string; clusterId: string; pod: string },
  query: PodLogQuery,
  signal?: AbortSignal,
  options: { timestamps?: boolean } = {},
): Promise<OpenedLog> {
  const { namespace, clusterId, pod: podName } = target;
  const pod = await readClusterPod(conn, namespace, clusterId, podName);
  const container = query.container ?? defaultContainer(pod);
  if (!container) throw new ApiError('not_found', `Pod ${podName} has no containers.`);
  if (!containerNames(pod).includes(container)) {
    throw new ApiError('invalid_input', `Pod ${podName} has no container ${container}; it has ${containerNames(pod).join(', ')}.`, {
      issues: [{ path: 'container', message: `must be one of ${containerNames(pod).join(', ')}` }],
    });
  }

  const params = new URLSearchParams({ container });
  if (query.follow && !query.download) params.set('follow', 'true');
  if (query.previous) params.set('previous', 'true');
  if (options.timestamps) params.set('timestamps', 'true');
  if (query.tailLines !== undefined && !query.download) params.set('tailLines', String(query.tailLines));

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const { agent, headers } = await connectionInit(conn, { accept: 'text/plain, */*' });
  let res;
  try {
    res = await fetch(`${conn.server}/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(podName)}/log?${params}`, {
      agent,
      method: 'GET',
      headers,
      // node-fetch's AbortSignal type predates the DOM one; they are the same at run time.
      signal: abort.signal as never,
      timeout: 0,
    });
  } catch (err) {
    signal?.removeEventListener('abort', onAbort);
    throw toK8sApiError(err, { verb: 'read', resource: 'pod logs', namespace, server: conn.server });
  }
  if (!res.ok) {
    signal?.removeEventListener('abort', onAbort);
    const text = await res.text();
    throw toLogError(res.status, readStatus(text).message, { namespace, pod: podName, container, server: conn.server });
  }

  const chunks = res.body[Symbol.asyncIterator]();
  const finish = () => {
    signal?.removeEventListener('abort', onAbort);
    abort.abort();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            finish();
            controller.close();
          } else {
            const chunk = next.value as Buffer | string;
            controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
          }
        } catch (err) {
          finish();
          // The browser went away (abort) or the API server dropped the stream: end what was sent.
          try {
            if (abort.signal.aborted) controller.close();
            else controller.error(err);
          } catch {
            // already cancelled by the reader
          }
        }
      },
      cancel() {
        finish();
      },
    },
    // One chunk in flight: the API server is read only as fast as the browser takes the log.
    { highWaterMark: 1 },
  );
  return { container, body };
}
