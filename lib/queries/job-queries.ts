import { queryOptions } from '@tanstack/react-query';
import type { OperationStatus } from '@/lib/jobs/job-views';
import { fetchJson } from './fetch-json';

export type JobClusterRef = { context?: string; namespace: string; clusterId: string };

function base(ref: JobClusterRef): string {
  return `/api/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}`;
}
function withContext(ref: JobClusterRef, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...(ref.context ? { context: ref.context } : {}), ...params }).toString();
  return q ? `?${q}` : '';
}

export type OperationKind = 'savepoints' | 'checkpoints';

/** How often a running savepoint or checkpoint is asked about until it ends. */
export const OPERATION_POLL_MS = 500;

const post = (url: string, body?: unknown) =>
  fetchJson<{ triggerId?: string; accepted?: boolean }>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

export const jobQueries = {
  watchUrl: (ref: JobClusterRef, jobId?: string) => `${base(ref)}/jobs/watch${withContext(ref, jobId ? { job: jobId } : {})}`,
  jobHref: (ref: JobClusterRef, jobId: string) => `/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}/jobs/${jobId}${withContext(ref)}`,
  clusterHref: (ref: JobClusterRef) => `/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}${withContext(ref)}`,
  /** The JobManager's own web UI through the dashboard (index.html, so relative links resolve under flink-ui/; the context rides in the path). */
  flinkUiHref: (ref: JobClusterRef) => `${base(ref)}/flink-ui/${ref.context ? `@${encodeURIComponent(ref.context)}/` : ''}index.html`,
  cancel: (ref: JobClusterRef, jobId: string) => post(`${base(ref)}/jobs/${jobId}/cancel${withContext(ref)}`),
  stop: (ref: JobClusterRef, jobId: string, body: { targetDirectory?: string; drain: boolean }) => post(`${base(ref)}/jobs/${jobId}/stop${withContext(ref)}`, body),
  savepoint: (ref: JobClusterRef, jobId: string, body: { targetDirectory?: string; formatType: 'CANONICAL' | 'NATIVE' }) =>
    post(`${base(ref)}/jobs/${jobId}/savepoints${withContext(ref)}`, body),
  checkpoint: (ref: JobClusterRef, jobId: string, body: { checkpointType: 'CONFIGURED' | 'FULL' | 'INCREMENTAL' }) =>
    post(`${base(ref)}/jobs/${jobId}/checkpoints${withContext(ref)}`, body),
  /** A savepoint/checkpoint operation, asked about until it is no longer in progress. */
  operation: (ref: JobClusterRef, jobId: string, kind: OperationKind, triggerId: string) =>
    queryOptions({
      queryKey: ['job-operation', ref.context ?? '', ref.namespace, ref.clusterId, jobId, kind, triggerId] as const,
      queryFn: () => fetchJson<OperationStatus>(`${base(ref)}/jobs/${jobId}/${kind}/${triggerId}${withContext(ref)}`),
      refetchInterval: (q) => (q.state.data && q.state.data.status !== 'IN_PROGRESS' ? false : OPERATION_POLL_MS),
      retry: 2,
    }),
};
