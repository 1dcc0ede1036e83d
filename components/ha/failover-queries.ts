import { queryOptions } from '@tanstack/react-query';
import { fetchJson } from '@/lib/queries/fetch-json';

export type FailoverRef = { context: string; namespace: string; clusterId: string };

function url(ref: FailoverRef): string {
  return `/api/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}/failover?${new URLSearchParams({ context: ref.context })}`;
}

export const failoverQueries = {
  permission: (ref: FailoverRef) =>
    queryOptions({
      queryKey: ['cluster-detail', ref.context, ref.namespace, ref.clusterId, 'failover-permission'] as const,
      queryFn: () => fetchJson<{ allowed: boolean; reason?: string }>(url(ref)),
      staleTime: 60_000,
      retry: false,
    }),
  /** Deletes `pod`, the leader the user saw; the route refuses (409) if another pod leads by now. */
  run: (ref: FailoverRef, pod: string) =>
    fetchJson<{ deletedPod: string }>(url(ref), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pod }) }),
};
