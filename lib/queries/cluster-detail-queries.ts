import { queryOptions } from '@tanstack/react-query';
import type { ClusterObject } from '@/lib/flink/cluster-detail-objects';
import type { FlinkRestSnapshot } from '@/lib/flink-rest/schemas';
import { fetchJson } from './fetch-json';

export type ClusterRef = { context: string; namespace: string; clusterId: string };

function base(ref: ClusterRef): string {
  return `/api/clusters/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.clusterId)}`;
}
function contextQuery(ref: ClusterRef): string {
  return new URLSearchParams({ context: ref.context }).toString();
}

/** Flink REST is not a Kubernetes watch: it is re-read while the page is open. */
export const FLINK_REST_REFETCH_MS = 3_000;

export const clusterDetailQueries = {
  all: () => ['cluster-detail'] as const,
  detail: (ref: ClusterRef) => [...clusterDetailQueries.all(), ref.context, ref.namespace, ref.clusterId] as const,
  objects: (ref: ClusterRef) =>
    queryOptions({
      queryKey: [...clusterDetailQueries.detail(ref), 'objects'] as const,
      queryFn: async () => (await fetchJson<{ items: ClusterObject[] }>(`${base(ref)}?${contextQuery(ref)}`)).items,
      // The watch stream keeps this current.
      staleTime: Infinity,
      retry: false,
    }),
  /** URL of the SSE stream that keeps `objects(ref)` current. */
  watchUrl: (ref: ClusterRef) => `${base(ref)}/watch?${contextQuery(ref)}`,
  flink: (ref: ClusterRef) =>
    queryOptions({
      queryKey: [...clusterDetailQueries.detail(ref), 'flink'] as const,
      queryFn: () => fetchJson<FlinkRestSnapshot>(`${base(ref)}/flink?${contextQuery(ref)}`),
      refetchInterval: FLINK_REST_REFETCH_MS,
      retry: false,
    }),
};
